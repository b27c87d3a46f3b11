# -*- coding: utf-8 -*-
# Copyright (c) 2026, community.circleci contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Insights: every endpoint of the API reference, computed from a record of workflow runs.

The state is a list of finished workflow runs (with their jobs and test results); every
insights answer is derived from it, so filters (branch, all-branches, reporting-window, dates,
workflow and project names) change the answers the way they would on CircleCI. Field names are
those of the OpenAPI description (snake_case, but kebab-case for flaky tests).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type  # pylint: disable=invalid-name

import datetime
import math
import re
import statistics

from server import ApiError, fixed_id
from resources_core import project_for

SLUG = r'(?P<slug>[^/]+/[^/]+/[^/]+)'
ORG = r'(?P<org>[^/]+/[^/]+)'
WORKFLOW = r'(?P<workflow>[^/]+)'

WINDOWS = {'last-24-hours': 1, 'last-7-days': 7, 'last-30-days': 30, 'last-60-days': 60, 'last-90-days': 90}
GRANULARITIES = ('daily', 'hourly')
RFC3339 = re.compile(r'^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$')
UTC = datetime.timezone.utc

# Seed: (project, workflow, branch, hours ago, status, revision). Jobs and tests follow the workflow.
SEED_RUNS = [
    ('gh/acme/api', 'build-and-test', 'main', 2, 'success', 'a1'),
    ('gh/acme/api', 'build-and-test', 'main', 3, 'failed', 'a1'),
    ('gh/acme/api', 'build-and-test', 'main', 26, 'success', 'a2'),
    ('gh/acme/api', 'build-and-test', 'main', 50, 'failed', 'a3'),
    ('gh/acme/api', 'build-and-test', 'main', 74, 'success', 'a4'),
    ('gh/acme/api', 'build-and-test', 'main', 240, 'success', 'a5'),
    ('gh/acme/api', 'build-and-test', 'main', 900, 'success', 'a6'),
    ('gh/acme/api', 'build-and-test', 'feature/login', 5, 'failed', 'b1'),
    ('gh/acme/api', 'build-and-test', 'feature/login', 30, 'success', 'b2'),
    ('gh/acme/api', 'deploy', 'main', 4, 'success', 'a1'),
    ('gh/acme/api', 'deploy', 'main', 52, 'canceled', 'a3'),
    ('gh/acme/api', 'deploy', 'main', 76, 'success', 'a4'),
    ('gh/acme/api', 'nightly', 'main', 20, 'success', 'a2'),
    ('gh/acme/web', 'build', 'main', 6, 'success', 'w1'),
    ('gh/acme/web', 'build', 'main', 30, 'success', 'w2'),
    ('gh/acme/web', 'build', 'develop', 8, 'failed', 'w3'),
]

# Per workflow: its jobs (name, seconds, credits per minute) and whether one is an approval.
WORKFLOW_JOBS = {
    'build-and-test': [('build', 120, 10), ('test', 300, 10), ('lint', 45, 5)],
    'deploy': [('hold', 0, 0), ('deploy', 200, 20)],
    'nightly': [('integration', 900, 20)],
    'build': [('build', 180, 10)],
}
APPROVAL_JOBS = {'hold'}
TESTS = [
    ('tests.test_api', 'test_health', 'tests/test_api.py', 0.05),
    ('tests.test_api', 'test_create_user', 'tests/test_api.py', 0.42),
    ('tests.test_login', 'test_login_timeout', 'tests/test_login.py', 3.1),
    ('tests.test_login', 'test_login_ok', 'tests/test_login.py', 0.8),
]
# Which test fails in a failed run of the test job.
FAILING_TEST = 'test_login_timeout'


def parse_time(value, name):
    if not isinstance(value, str) or not RFC3339.match(value):
        raise ApiError(400, 'Invalid %s: must be an RFC 3339 date-time' % name)
    text = value.replace('z', 'Z').replace('t', 'T')
    if text.endswith('Z'):
        text = text[:-1] + '+00:00'
    if '.' in text:
        head, rest = text.split('.', 1)
        digits = re.match(r'\d+', rest).group(0)
        text = head + '.' + (digits + '000000')[:6] + rest[len(digits):]
    return datetime.datetime.fromisoformat(text).astimezone(UTC)


def stamp(moment):
    return moment.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (moment.microsecond // 1000)


def utcnow():
    return datetime.datetime.now(UTC)


def reset(app):
    app.state.insights_runs = []
    app.state.insights_job_number = {}
    base = utcnow()
    for slug, workflow, branch, hours, status, revision in SEED_RUNS:
        add_run(app, {'project_slug': slug, 'workflow': workflow, 'branch': branch, 'status': status,
                      'revision': revision}, base - datetime.timedelta(hours=hours))


def add_run(app, obj, created=None):
    """Record one finished workflow run. ``obj``: project_slug, workflow, branch (main), status
    (success), revision, hours_ago (0), duration (seconds; default from its jobs)."""
    project = app.state.project_by_slug(obj['project_slug'])
    if project is None:
        raise ApiError(400, 'unknown project %s' % obj['project_slug'])
    workflow = obj.get('workflow', 'build-and-test')
    status = obj.get('status', 'success')
    if created is None:
        created = utcnow() - datetime.timedelta(hours=float(obj.get('hours_ago', 0)))
    index = len(app.state.insights_runs)
    jobs, tests = [], []
    clock = created
    plan = WORKFLOW_JOBS.get(workflow, [('build', 60, 10)])
    for position, (name, seconds, per_minute) in enumerate(plan):
        number = app.state.insights_job_number.get(project['slug'], 100) + 1
        app.state.insights_job_number[project['slug']] = number
        # A failed or canceled run ends in its test job (or its last job when it has none).
        failing = name == 'test' or ('test' not in [p[0] for p in plan] and position == len(plan) - 1)
        job_status = status if failing and status != 'success' else 'success'
        seconds = seconds + (index % 5) * 7
        started, clock = clock, clock + datetime.timedelta(seconds=seconds)
        jobs.append({'name': name, 'number': number, 'status': job_status, 'duration': seconds,
                     'started_at': started, 'stopped_at': clock,
                     'credits_used': int(math.ceil(seconds / 60.0)) * per_minute})
        if name == 'test':
            for classname, test_name, path, run_time in TESTS:
                failed = job_status == 'failed' and test_name == FAILING_TEST
                tests.append({'classname': classname, 'test_name': test_name, 'file': path, 'source': 'pytest',
                              'job_name': name, 'job_number': number, 'run_time': run_time * (1 + index % 3),
                              'result': 'failure' if failed else 'success'})
    duration = int(obj.get('duration') or sum(j['duration'] for j in jobs))
    run = {
        'id': fixed_id('insights-run:%s:%d' % (project['slug'], index)),
        'project_id': project['id'], 'project_slug': project['slug'], 'workflow': workflow,
        'branch': obj.get('branch', 'main'), 'status': status, 'revision': obj.get('revision', 'r%d' % index),
        'created_at': created, 'stopped_at': created + datetime.timedelta(seconds=duration), 'duration': duration,
        'credits_used': sum(j['credits_used'] for j in jobs), 'is_approval': any(j['name'] in APPROVAL_JOBS for j in jobs),
        'pipeline_number': 1000 + index, 'jobs': jobs, 'tests': tests,
    }
    app.state.insights_runs.append(run)
    return run


def run_view(run):
    return {'id': run['id'], 'branch': run['branch'], 'duration': run['duration'], 'created_at': stamp(run['created_at']),
            'stopped_at': stamp(run['stopped_at']), 'credits_used': run['credits_used'], 'status': run['status'],
            'is_approval': run['is_approval']}


# -- filters ---------------------------------------------------------------------------------

def reporting_window(req):
    window = req.arg('reporting-window') or 'last-90-days'
    if window not in WINDOWS:
        raise ApiError(400, 'Invalid reporting-window %r: must be one of %s' % (window, ', '.join(WINDOWS)))
    return WINDOWS[window]


def branch_filter(req, project, param='branch'):
    """A predicate on runs: one branch (default: the project's default branch), or all of them."""
    all_branches = req.flag('all-branches')
    branch = req.arg(param)
    if all_branches and branch:
        raise ApiError(400, 'Use either all-branches or %s, not both' % param)
    if all_branches:
        return lambda run: True
    branch = branch or project['vcs_info']['default_branch']
    return lambda run: run['branch'] == branch


def date_range(req):
    start, end = req.arg('start-date'), req.arg('end-date')
    if end and not start:
        raise ApiError(400, 'start-date must be specified if an end-date is provided')
    start = parse_time(start, 'start-date') if start else None
    end = parse_time(end, 'end-date') if end else None
    if start and end:
        if end <= start:
            raise ApiError(400, 'end-date must be after start-date')
        if end - start > datetime.timedelta(days=90):
            raise ApiError(400, 'end-date can be at most 90 days after start-date')
    return start, end


def in_window(days, offset=0):
    end = utcnow() - datetime.timedelta(days=days * offset)
    start = end - datetime.timedelta(days=days)
    return lambda run: start <= run['created_at'] < end


def runs_of(app, project, workflow=None):
    return [r for r in app.state.insights_runs
            if r['project_id'] == project['id'] and (workflow is None or r['workflow'] == workflow)]


# -- metrics ---------------------------------------------------------------------------------

def p95(values):
    ordered = sorted(values)
    return ordered[max(0, int(math.ceil(0.95 * len(ordered))) - 1)] if ordered else 0


def duration_metrics(values, full=True):
    if not values:
        metrics = {'min': 0, 'median': 0, 'max': 0, 'p95': 0}
    else:
        metrics = {'min': min(values), 'median': int(statistics.median(values)), 'max': max(values), 'p95': p95(values)}
    if full:
        metrics['mean'] = int(statistics.mean(values)) if values else 0
        metrics['standard_deviation'] = round(statistics.pstdev(values), 1) if values else 0.0
    return metrics


def rate(part, whole):
    return round(float(part) / whole, 4) if whole else 0.0


def recoveries(runs):
    """(count, mean seconds) of failure -> next success, in time order."""
    times, failed_at = [], None
    for run in sorted(runs, key=lambda r: r['created_at']):
        if run['status'] == 'failed' and failed_at is None:
            failed_at = run['stopped_at']
        elif run['status'] == 'success' and failed_at is not None:
            times.append((run['stopped_at'] - failed_at).total_seconds())
            failed_at = None
    return len(times), int(statistics.mean(times)) if times else 0


def workflow_metrics(runs, days):
    durations = [r['duration'] for r in runs]
    successful = sum(1 for r in runs if r['status'] == 'success')
    failed = sum(1 for r in runs if r['status'] == 'failed')
    count, mttr = recoveries(runs)
    return {
        'total_runs': len(runs), 'successful_runs': successful, 'failed_runs': failed, 'mttr': mttr,
        'total_recoveries': count, 'total_credits_used': sum(r['credits_used'] for r in runs),
        'success_rate': rate(successful, len(runs)), 'throughput': round(float(len(runs)) / days, 4),
        'duration_metrics': duration_metrics(durations),
    }


def trend(current, previous):
    """Relative change against the previous window of the same length (0.0 without history)."""
    return round((current - previous) / float(previous), 4) if previous else 0.0


def summary_block(runs, previous, days, keys):
    """``{metrics, trends}`` with the named keys, as the summary pages carry them."""
    def values(selected):
        durations = [r['duration'] for r in selected]
        successful = sum(1 for r in selected if r['status'] == 'success')
        return {
            'total_runs': len(selected), 'total_duration_secs': sum(durations),
            'total_credits_used': sum(r['credits_used'] for r in selected),
            'success_rate': rate(successful, len(selected)), 'throughput': round(float(len(selected)) / days, 4),
            'p95_duration_secs': float(p95(durations)),
        }
    now_values, then_values = values(runs), values(previous)
    metrics = dict((k, now_values[k]) for k in keys)
    trends = dict((k, trend(now_values[k], then_values[k])) for k in keys)
    for key in ('total_runs', 'total_duration_secs', 'total_credits_used'):
        if key in metrics:
            metrics[key] = int(metrics[key])
    return {'metrics': metrics, 'trends': trends}


PROJECT_KEYS = ('total_runs', 'total_duration_secs', 'total_credits_used', 'success_rate', 'throughput')
WORKFLOW_KEYS = ('total_credits_used', 'p95_duration_secs', 'total_runs', 'success_rate')
ORG_PROJECT_KEYS = ('total_credits_used', 'total_duration_secs', 'total_runs', 'success_rate')


def register(app):
    app.on_reset(reset)

    @app.route('GET', r'/insights/pages/' + SLUG + r'/summary')
    def project_summary(app, req):
        project = project_for(app, req)
        days = reporting_window(req)
        branches, names = req.args('branches'), req.args('workflow-names')
        runs = runs_of(app, project)
        current = [r for r in runs if in_window(days)(r)]
        previous = [r for r in runs if in_window(days, 1)(r)]
        workflows = sorted(set(r['workflow'] for r in current if not names or r['workflow'] in names))
        pairs = sorted(set((r['workflow'], r['branch']) for r in current
                           if (not names or r['workflow'] in names) and (not branches or r['branch'] in branches)))
        answer = {
            'org_id': project['org_id'], 'project_id': project['id'],
            'project_data': summary_block(current, previous, days, PROJECT_KEYS),
            'project_workflow_data': [
                dict(summary_block([r for r in current if r['workflow'] == name],
                                   [r for r in previous if r['workflow'] == name], days, WORKFLOW_KEYS),
                     workflow_name=name) for name in workflows],
            'project_workflow_branch_data': [
                dict(summary_block([r for r in current if (r['workflow'], r['branch']) == pair],
                                   [r for r in previous if (r['workflow'], r['branch']) == pair], days, WORKFLOW_KEYS),
                     workflow_name=pair[0], branch=pair[1]) for pair in pairs],
            'all_branches': sorted(set(r['branch'] for r in current)),
            'all_workflows': sorted(set(r['workflow'] for r in current)),
        }
        return 200, answer

    @app.route('GET', r'/insights/time-series/' + SLUG + r'/workflows/' + WORKFLOW + r'/jobs')
    def job_timeseries(app, req):
        project = project_for(app, req)
        granularity = req.arg('granularity') or req.arg('timeseries-granularity') or 'daily'
        if granularity not in GRANULARITIES:
            raise ApiError(400, 'Invalid granularity %r: must be daily or hourly' % granularity)
        start, end = date_range(req)
        branch = branch_filter(req, project)
        if start is None:
            start = utcnow() - datetime.timedelta(days=90)
        buckets = {}
        for run in runs_of(app, project, req.params['workflow']):
            if not branch(run) or run['created_at'] < start or (end and run['created_at'] >= end):
                continue
            moment = run['created_at'].replace(minute=0, second=0, microsecond=0)
            if granularity == 'daily':
                moment = moment.replace(hour=0)
            for job in run['jobs']:
                buckets.setdefault((moment, job['name']), []).append(job)
        items = []
        for (moment, name), jobs in sorted(buckets.items()):
            durations = [j['duration'] for j in jobs]
            credits = [j['credits_used'] for j in jobs]
            span = 86400.0 if granularity == 'daily' else 3600.0
            metrics = {
                'total_runs': len(jobs), 'failed_runs': sum(1 for j in jobs if j['status'] == 'failed'),
                'successful_runs': sum(1 for j in jobs if j['status'] == 'success'),
                'throughput': round(len(jobs) * 86400.0 / span, 4),
                'median_credits_used': int(statistics.median(credits)), 'total_credits_used': sum(credits),
                'duration_metrics': dict(duration_metrics(durations, full=False), total=sum(durations)),
            }
            items.append({'name': name, 'min_started_at': stamp(min(j['started_at'] for j in jobs)),
                          'max_ended_at': stamp(max(j['stopped_at'] for j in jobs)), 'timestamp': stamp(moment),
                          'metrics': metrics})
        return app.paginate(req, items)

    @app.route('GET', r'/insights/' + ORG + r'/summary')
    def org_summary(app, req):
        org = app.state.org_by_slug(req.params['org'])
        if org is None:
            raise ApiError(404, 'Organization not found')
        app.member_org(req, org)
        days = reporting_window(req)
        names = req.args('project-names')
        projects = sorted((p for p in app.state.projects.values() if p['org_id'] == org['id']), key=lambda p: p['name'])
        chosen = [p for p in projects if not names or p['name'] in names]
        ids = set(p['id'] for p in chosen)
        runs = [r for r in app.state.insights_runs if r['project_id'] in ids]
        current = [r for r in runs if in_window(days)(r)]
        previous = [r for r in runs if in_window(days, 1)(r)]
        answer = {
            'org_data': summary_block(current, previous, days, PROJECT_KEYS),
            'org_project_data': [
                dict(summary_block([r for r in current if r['project_id'] == p['id']],
                                   [r for r in previous if r['project_id'] == p['id']], days, ORG_PROJECT_KEYS),
                     project_name=p['name'])
                for p in chosen if any(r['project_id'] == p['id'] for r in current)],
            'all_projects': [p['name'] for p in projects],
        }
        return 200, answer

    @app.route('GET', r'/insights/' + SLUG + r'/branches')
    def branches(app, req):
        project = project_for(app, req)
        workflow = req.arg('workflow-name')
        names = sorted(set(r['branch'] for r in runs_of(app, project, workflow)))
        return 200, {'org_id': project['org_id'], 'project_id': project['id'], 'branches': names}

    @app.route('GET', r'/insights/' + SLUG + r'/flaky-tests')
    def flaky_tests(app, req):
        project = project_for(app, req)
        outcomes = {}
        for run in runs_of(app, project):
            for test in run['tests']:
                key = (test['classname'], test['test_name'], run['workflow'], test['job_name'])
                outcomes.setdefault(key, {}).setdefault(run['revision'], []).append((run, test))
        items = []
        for (classname, name, workflow, job), by_revision in sorted(outcomes.items()):
            flaked = [pairs for pairs in by_revision.values()
                      if set(t['result'] for _run, t in pairs) >= {'success', 'failure'}]
            if not flaked:
                continue
            failures = [(r, t) for pairs in flaked for r, t in pairs if t['result'] == 'failure']
            run, test = max(failures, key=lambda pair: pair[0]['created_at'])
            items.append({
                'time-wasted': int(sum(t['run_time'] for _run, t in failures)),
                'workflow-created-at': stamp(run['created_at']), 'workflow-id': run['id'], 'classname': classname,
                'pipeline-number': run['pipeline_number'], 'workflow-name': workflow, 'test-name': name,
                'job-name': job, 'job-number': test['job_number'], 'times-flaked': len(failures),
                'source': test['source'], 'file': test['file'],
            })
        return 200, {'flaky-tests': items, 'total-flaky-tests': len(items)}

    @app.route('GET', r'/insights/' + SLUG + r'/workflows')
    def workflows(app, req):
        project = project_for(app, req)
        days = reporting_window(req)
        branch = branch_filter(req, project)
        runs = [r for r in runs_of(app, project) if branch(r) and in_window(days)(r)]
        items = []
        for name in sorted(set(r['workflow'] for r in runs)):
            mine = [r for r in runs if r['workflow'] == name]
            items.append({'name': name, 'metrics': workflow_metrics(mine, days),
                          'window_start': stamp(min(r['created_at'] for r in mine)),
                          'window_end': stamp(max(r['stopped_at'] for r in mine)), 'project_id': project['id']})
        return app.paginate(req, items)

    @app.route('GET', r'/insights/' + SLUG + r'/workflows/' + WORKFLOW)
    def workflow_runs(app, req):
        project = project_for(app, req)
        branch = branch_filter(req, project)
        start, end = date_range(req)
        runs = [r for r in runs_of(app, project, req.params['workflow']) if branch(r)
                and (start is None or r['created_at'] >= start) and (end is None or r['created_at'] < end)
                and r['created_at'] >= utcnow() - datetime.timedelta(days=90)]
        runs.sort(key=lambda r: r['created_at'], reverse=True)
        return app.paginate(req, [run_view(r) for r in runs])

    @app.route('GET', r'/insights/' + SLUG + r'/workflows/' + WORKFLOW + r'/jobs')
    def workflow_jobs(app, req):
        project = project_for(app, req)
        days = reporting_window(req)
        branch = branch_filter(req, project)
        runs = [r for r in runs_of(app, project, req.params['workflow']) if branch(r) and in_window(days)(r)]
        jobs = {}
        for run in runs:
            for job in run['jobs']:
                jobs.setdefault(job['name'], []).append((run, job))
        items = []
        for name in sorted(jobs):
            pairs = jobs[name]
            durations = [j['duration'] for _run, j in pairs]
            successful = sum(1 for _run, j in pairs if j['status'] == 'success')
            items.append({
                'name': name,
                'metrics': {
                    'total_runs': len(pairs), 'failed_runs': sum(1 for _run, j in pairs if j['status'] == 'failed'),
                    'successful_runs': successful, 'duration_metrics': duration_metrics(durations),
                    'success_rate': rate(successful, len(pairs)), 'total_credits_used': sum(j['credits_used'] for _run, j in pairs),
                    'throughput': round(float(len(pairs)) / days, 4),
                },
                'window_start': stamp(min(j['started_at'] for _run, j in pairs)),
                'window_end': stamp(max(j['stopped_at'] for _run, j in pairs)),
            })
        return app.paginate(req, items)

    @app.route('GET', r'/insights/' + SLUG + r'/workflows/' + WORKFLOW + r'/summary')
    def workflow_summary(app, req):
        project = project_for(app, req)
        # The reference names the branch filter "branches", the OpenAPI description "branch".
        param = 'branches' if req.arg('branches') and not req.arg('branch') else 'branch'
        branch = branch_filter(req, project, param)
        all_runs = [r for r in runs_of(app, project) if branch(r)]
        current = [r for r in all_runs if r['workflow'] == req.params['workflow'] and in_window(90)(r)]
        previous = [r for r in all_runs if r['workflow'] == req.params['workflow'] and in_window(90, 1)(r)]
        metrics = workflow_metrics(current, 90)
        metrics.pop('total_recoveries')
        metrics['completed_runs'] = len(current)
        metrics['window_start'] = stamp(min(r['created_at'] for r in current)) if current else stamp(utcnow() - datetime.timedelta(days=90))
        metrics['window_end'] = stamp(max(r['stopped_at'] for r in current)) if current else stamp(utcnow())
        before = workflow_metrics(previous, 90)
        durations_now = [r['duration'] for r in current]
        durations_then = [r['duration'] for r in previous]
        trends = dict((k, trend(metrics[k], before[k])) for k in
                      ('total_runs', 'failed_runs', 'success_rate', 'total_credits_used', 'mttr', 'throughput'))
        trends['p95_duration_secs'] = trend(p95(durations_now), p95(durations_then))
        trends['median_duration_secs'] = trend(statistics.median(durations_now) if durations_now else 0,
                                               statistics.median(durations_then) if durations_then else 0)
        return 200, {'metrics': metrics, 'trends': trends,
                     'workflow_names': sorted(set(r['workflow'] for r in runs_of(app, project)))}

    @app.route('GET', r'/insights/' + SLUG + r'/workflows/' + WORKFLOW + r'/test-metrics')
    def test_metrics(app, req):
        project = project_for(app, req)
        branch = branch_filter(req, project)
        runs = sorted((r for r in runs_of(app, project, req.params['workflow']) if branch(r)),
                      key=lambda r: r['created_at'], reverse=True)[:10]
        tests = {}
        for run in runs:
            for test in run['tests']:
                tests.setdefault((test['classname'], test['test_name']), []).append(test)
        rows = []
        for (classname, name), results in sorted(tests.items()):
            failed = sum(1 for t in results if t['result'] == 'failure')
            rows.append({'p95_duration': round(p95([t['run_time'] for t in results]), 3), 'total_runs': len(results),
                         'classname': classname, 'failed_runs': failed, 'flaky': 0 < failed < len(results),
                         'source': results[0]['source'], 'file': results[0]['file'], 'job_name': results[0]['job_name'],
                         'test_name': name})
        failing = sorted((r for r in rows if r['failed_runs']), key=lambda r: -r['failed_runs'])
        slowest = sorted(rows, key=lambda r: -r['p95_duration'])
        test_runs = []
        for run in runs:
            counts = dict((k, 0) for k in ('error', 'failure', 'skipped', 'success'))
            for test in run['tests']:
                counts[test['result']] += 1
            counts['total'] = len(run['tests'])
            test_runs.append({'pipeline_number': run['pipeline_number'], 'workflow_id': run['id'],
                              'success_rate': rate(counts['success'], counts['total']), 'test_counts': counts})
        return 200, {
            'average_test_count': int(round(statistics.mean([len(r['tests']) for r in runs]))) if runs else 0,
            'most_failed_tests': failing[:10], 'most_failed_tests_extra': max(0, len(failing) - 10),
            'slowest_tests': slowest[:10], 'slowest_tests_extra': max(0, len(slowest) - 10),
            'total_test_runs': sum(len(r['tests']) for r in runs), 'test_runs': test_runs,
        }

    def seed_run(app, obj):
        return run_view(add_run(app, obj))

    app.seeders['insights_runs'] = seed_run

    def dump(app, secrets):  # pylint: disable=unused-argument
        return {'insights_runs': [dict(run_view(r), project_slug=r['project_slug'], workflow=r['workflow'])
                                  for r in app.state.insights_runs]}
    app.state_dumpers.append(dump)
