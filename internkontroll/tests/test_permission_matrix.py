"""Every URL of the project, every role: the status code each may get, in one table.

A URL pattern without a row here fails the test, so a new page must state who may use it.
The admin's many patterns are collapsed by shape (`admin:<model>/add/` and so on) and tried
on the risk model. "login" means a redirect to a login page; "302" a redirect elsewhere (the
write succeeded). Every request runs in a savepoint that is rolled back, so no cell sees
another cell's writes.
"""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import time_machine
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from internkontroll.accounts.models import User
from internkontroll.api.actions import create_token
from internkontroll.followups.models import Evidence, FollowUp
from internkontroll.jobs.models import ReportJob
from internkontroll.nominations.models import Nomination
from internkontroll.organisation.models import Goal, Process, RiskArea
from internkontroll.plans.versions import record_version
from internkontroll.risks.models import Action, Risk
from internkontroll.test import PASSWORD, BaseTestCase, make_user
from internkontroll.workbooks.models import PendingWorkbook
from internkontroll.workbooks.writer import workbook_bytes

ROLES = ("anonymous", "admin", "coordinator", "responsible", "reader", "auditor", "outsider")

# Columns: anonymous, systemadministratör, samordnare (sn), ansvarig (sf-vux, sn_action
# assigned), läsare (whole organisation), revisor (sn), a coordinator of another organisation.
# Objects named by id are socialnämnden's (sn); "login" is a redirect to a login page.
# fmt: off
EXPECTED: dict[str, tuple[str, str]] = {
    #                                      GET: anon admin coord resp read audit other
    #                                      POST (same columns)
    "followups:mine":                     ("login 200 200 200 200 200 200",
                                           "login 405 405 405 405 405 405"),
    "followups:report_action":            ("login 200 200 200 403 403 404",
                                           "login 302 302 302 403 403 404"),
    "followups:report_control_activity":  ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "followups:evidence":                 ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    # An action answering a deviation is a change of the risk: its writers make it.
    "followups:answer_deviation":         ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    # A risk is followed up by those who write it: no one is assigned a risk.
    "followups:report_risk":              ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    # The follow-up board is for those who may report on others' items: coordinators.
    "followups:board":                    ("login 200 200 403 403 403 200",
                                           "login 405 405 405 405 405 405"),
    # Everyone chooses for themselves whether to get reminders by e-mail.
    "reminders:preferences":              ("login 200 200 200 200 200 200",
                                           "login 302 302 302 302 302 302"),
    "organisation:period_edit":           ("login 200 403 403 403 403 404",
                                           "login 302 403 403 403 403 404"),
    # The period structure is a setting the whole organisation shares: administrators only.
    "organisation:period_create":         ("login 200 403 403 403 403 403",
                                           "login 302 403 403 403 403 403"),
    "organisation:period_change":         ("login 200 403 403 403 403 404",
                                           "login 302 403 403 403 403 404"),
    "organisation:period_delete":         ("login 405 405 405 405 405 405",
                                           "login 302 403 403 403 403 404"),
    "accounts:login":                     ("200 302 302 302 302 302 302",
                                           "302 302 302 302 302 302 302"),
    "accounts:logout":                    ("405 405 405 405 405 405 405",
                                           "login login login login login login login"),
    "accounts:password_reset":            ("200 200 200 200 200 200 200",
                                           "302 302 302 302 302 302 302"),
    "accounts:password_reset_done":       ("200 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "accounts:password_reset_confirm":    ("302 302 302 302 302 302 302",
                                           "302 302 302 302 302 302 302"),
    "accounts:password_reset_complete":   ("200 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    # A link to confirm a new e-mail address; this one is not validly signed.
    "accounts:email_confirm":             ("400 400 400 400 400 400 400",
                                           "400 400 400 400 400 400 400"),
    # Single sign-on is off unless configured.
    "oidc_authentication_init":           ("404 404 404 404 404 404 404",
                                           "404 404 404 404 404 404 404"),
    "oidc_authentication_callback":       ("404 404 404 404 404 404 404",
                                           "404 404 404 404 404 404 404"),
    "trail:log":                          ("login 200 200 403 403 200 200",
                                           "login 405 405 405 405 405 405"),
    "accounts:demo_login":                ("405 405 405 405 405 405 405",
                                           "404 404 404 404 404 404 404"),
    "risks:overview":                     ("login 200 200 200 200 200 200",
                                           "login 405 405 405 405 405 405"),
    "risks:create":                       ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "risks:detail":                       ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    "risks:edit":                         ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "risks:action_create":                ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "risks:action_edit":                  ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "controls:create":                    ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "controls:edit":                      ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "plans:current":                      ("login 302 302 302 302 302 302",
                                           "login 405 405 405 405 405 405"),
    "plans:detail":                       ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    "plans:adopt":                        ("login 405 405 405 405 405 405",
                                           "login 302 302 403 403 403 404"),
    "plans:assessment":                   ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    # The plan's lifecycle and next year's plan: those who hold the committee.
    "plans:lifecycle":                    ("login 405 405 405 405 405 405",
                                           "login 302 302 403 403 403 404"),
    # A new plan: for the committees one writes; sn is not among the outsider's choices.
    "plans:create":                       ("login 200 200 403 403 403 200",
                                           "login 302 302 403 403 403 422"),
    "plans:rollover":                     ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "plans:rollover_undo":                ("login 405 405 405 405 405 405",
                                           "login 302 302 403 403 403 404"),
    "plans:version":                      ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    # The plan as an Excel workbook, to edit and upload: those who hold the committee. An
    # uploaded workbook (the coordinator's here) is seen and applied by its uploader only.
    "workbooks:download":                 ("login 200 200 403 403 403 404",
                                           "login 405 405 405 405 405 405"),
    "workbooks:template":                 ("login 200 200 403 403 403 404",
                                           "login 405 405 405 405 405 405"),
    "workbooks:upload":                   ("login 200 200 403 403 403 404",
                                           "login 422 422 403 403 403 404"),
    "workbooks:preview":                  ("login 404 200 404 404 404 404",
                                           "login 405 405 405 405 405 405"),
    "workbooks:apply":                    ("login 405 405 405 405 405 405",
                                           "login 404 302 404 404 404 404"),
    "workbooks:cancel":                   ("login 405 405 405 405 405 405",
                                           "login 404 302 404 404 404 404"),
    # Proposals of risks for a committee's risk picture: made by those with a role in a unit
    # (not readers or auditors), read with the proposing unit, decided by the plan's writers,
    # withdrawn by the proposer (the responsible person) only.
    "nominations:mine":                   ("login 200 200 200 200 200 200",
                                           "login 405 405 405 405 405 405"),
    "nominations:create":                 ("login 200 200 200 403 403 404",
                                           "login 302 302 302 403 403 404"),
    "nominations:detail":                 ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    "nominations:accept":                 ("login 405 405 405 405 405 405",
                                           "login 302 302 403 403 403 404"),
    "nominations:send_back":              ("login 405 405 405 405 405 405",
                                           "login 302 302 403 403 403 404"),
    "nominations:withdraw":               ("login 405 405 405 405 405 405",
                                           "login 403 403 302 403 403 404"),
    "nominations:queue":                  ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    "audits:index":                       ("login 200 200 200 200 200 200",
                                           "login 405 405 405 405 405 405"),
    "audits:create":                      ("login 200 200 403 403 403 200",
                                           "login 302 302 403 403 403 422"),
    "audits:detail":                      ("login 200 200 404 200 200 404",
                                           "login 405 405 405 405 405 405"),
    "audits:edit":                        ("login 200 200 404 403 403 404",
                                           "login 302 302 404 403 403 404"),
    "audits:recommendation_create":       ("login 200 200 404 403 403 404",
                                           "login 302 302 404 403 403 404"),
    "audits:recommendation_edit":         ("login 200 200 404 403 403 404",
                                           "login 302 302 404 403 403 404"),
    "audits:recommendation_follow_up":    ("login 200 200 404 403 403 404",
                                           "login 302 302 404 403 403 404"),
    "organisation:overview":              ("login 200 200 200 200 200 200",
                                           "login 405 405 405 405 405 405"),
    "accounts:users":                     ("login 200 403 403 403 403 403",
                                           "login 405 405 405 405 405 405"),
    "accounts:user_create":               ("login 200 403 403 403 403 403",
                                           "login 302 403 403 403 403 403"),
    "accounts:user_edit":                 ("login 200 403 403 403 403 403",
                                           "login 302 403 403 403 403 403"),
    "accounts:role_add":                  ("login 405 405 405 405 405 405",
                                           "login 302 403 403 403 403 403"),
    "accounts:role_remove":               ("login 405 405 405 405 405 405",
                                           "login 302 403 403 403 403 403"),
    "organisation:settings":              ("login 200 200 200 200 200 200",
                                           "login 405 405 405 405 405 405"),
    # The default Word template is for anyone to look at; the organisation's own and changing
    # it are the administrator's (no template is uploaded here, so its download is 404).
    "organisation:report_template_default": ("login 200 200 200 200 200 200",
                                             "login 405 405 405 405 405 405"),
    "organisation:report_template_download": ("login 404 403 403 403 403 403",
                                              "login 405 405 405 405 405 405"),
    "organisation:report_template_upload": ("login 405 405 405 405 405 405",
                                            "login 422 403 403 403 403 403"),
    "organisation:report_template_remove": ("login 405 405 405 405 405 405",
                                            "login 302 403 403 403 403 403"),
    # The risk matrix is a setting the whole organisation shares: administrators only.
    "organisation:matrix_edit":           ("login 200 403 403 403 403 403",
                                           "login 302 403 403 403 403 403"),
    "organisation:unit_create":           ("login 200 403 403 403 403 403",
                                           "login 302 403 403 403 403 403"),
    "organisation:unit_edit":             ("login 200 403 404 403 403 404",
                                           "login 302 403 404 403 403 404"),
    "organisation:goal_create":           ("login 200 200 403 403 403 200",
                                           "login 302 302 403 403 403 422"),
    "organisation:goal_edit":             ("login 200 200 404 403 403 404",
                                           "login 302 302 404 403 403 404"),
    # Processes and risk areas are settings the whole organisation shares: administrators only.
    "organisation:process_create":        ("login 200 403 403 403 403 403",
                                           "login 302 403 403 403 403 403"),
    "organisation:process_edit":          ("login 200 403 403 403 403 404",
                                           "login 302 403 403 403 403 404"),
    "organisation:risk_area_create":      ("login 200 403 403 403 403 403",
                                           "login 302 403 403 403 403 403"),
    "organisation:risk_area_edit":        ("login 200 403 403 403 403 404",
                                           "login 302 403 403 403 403 404"),
    "search:results":                     ("login 200 200 200 200 200 200",
                                           "login 405 405 405 405 405 405"),
    # The adopted version's report: whoever may read the version (the responsible person, below
    # the committee, gets an excerpt of a plan version).
    "reports:version":                    ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    "reports:report":                     ("login 200 200 200 200 200 404",
                                           "login 405 405 405 405 405 405"),
    # A report made in the background (the coordinator's): only the person who asked for it.
    "jobs:status":                        ("login 404 200 404 404 404 404",
                                           "login 405 405 405 405 405 405"),
    "jobs:file":                          ("login 404 200 404 404 404 404",
                                           "login 405 405 405 405 405 405"),
    # For load balancers: no login.
    "health":                             ("200 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    # The API: 401 without a token or a login; a change that passes the gate asks for If-Match
    # (428). Its own permission test sends valid changes and compares them with the pages.
    "api:api-root":                       ("404 404 404 404 404 404 404",
                                           "404 404 404 404 404 404 404"),
    "api:create_audit_report":            ("401 200 200 200 200 200 200",
                                           "401 201 201 403 403 403 422"),
    "api:update_audit_report":            ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:create_recommendation":          ("405 405 405 405 405 405 405",
                                           "401 201 201 404 403 403 404"),
    "api:update_recommendation":          ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:create_action":                  ("401 200 200 200 200 200 200",
                                           "401 201 201 403 403 403 404"),
    "api:create_control_activity":        ("401 200 200 200 200 200 200",
                                           "401 201 201 403 403 403 404"),
    "api:create_risk":                    ("401 200 200 200 200 200 200",
                                           "401 201 201 403 403 403 404"),
    "api:get_action":                     ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_adopted_version":            ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_assessment":                 ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_audit_report":               ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_control_activity":           ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_follow_up":                  ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_evidence_content":           ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_goal":                       ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_matrix":                     ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_organisation":               ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_period":                     ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_plan":                       ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_process":                    ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_recommendation":             ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_risk":                       ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_risk_area":                  ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:get_unit":                       ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:list_actions":                   ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_adopted_versions":          ("401 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:list_assessments":               ("401 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:list_audit_reports":             ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_control_activities":        ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_follow_ups":                ("401 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:list_goals":                     ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_matrices":                  ("401 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:list_organisations":             ("401 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:list_periods":                   ("401 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:list_plans":                     ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_processes":                 ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_recommendations":           ("401 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:list_risk_areas":                ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_risks":                     ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:list_units":                     ("401 200 200 200 200 200 200",
                                           "401 400 400 400 400 400 400"),
    "api:openapi-json":                   ("200 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api:report_action":                  ("405 405 405 405 405 405 405",
                                           "401 428 428 428 403 403 404"),
    "api:report_control_activity":        ("405 405 405 405 405 405 405",
                                           "401 428 428 403 403 403 404"),
    "api:report_recommendation":          ("405 405 405 405 405 405 405",
                                           "401 428 428 404 403 403 404"),
    "api:report_risk":                    ("405 405 405 405 405 405 405",
                                           "401 428 428 403 403 403 404"),
    "api:update_action":                  ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:update_control_activity":        ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:update_risk":                    ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    # The API's writes on settings and plans share their paths with reads: GET lists or reads,
    # POST on a path with an id is 405. Their own test compares the writes with the pages.
    "api:create_unit":                    ("401 200 200 200 200 200 200",
                                           "401 201 403 403 403 403 403"),
    "api:update_unit":                    ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    # Goals as on their pages: whoever writes for a committee, for the committees they write.
    "api:create_goal":                    ("401 200 200 200 200 200 200",
                                           "401 201 201 403 403 403 422"),
    "api:update_goal":                    ("401 200 200 404 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:create_process":                 ("401 200 200 200 200 200 200",
                                           "401 201 403 403 403 403 403"),
    "api:rename_process":                 ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:create_risk_area":               ("401 200 200 200 200 200 200",
                                           "401 201 403 403 403 403 403"),
    "api:rename_risk_area":               ("401 200 200 200 200 200 404",
                                           "405 405 405 405 405 405 405"),
    "api:create_plan":                    ("401 200 200 200 200 200 200",
                                           "401 201 201 403 403 403 422"),
    "api:adopt_plan":                     ("405 405 405 405 405 405 405",
                                           "401 428 428 403 403 403 404"),
    "api:save_assessment":                ("405 405 405 405 405 405 405",
                                           "405 405 405 405 405 405 405"),
    "api_pages:docs":                     ("200 200 200 200 200 200 200",
                                           "405 405 405 405 405 405 405"),
    "api_pages:revoke":                   ("login 405 405 405 405 405 405",
                                           "login 302 404 404 404 404 404"),
    "api_pages:tokens":                   ("login 200 200 200 200 200 200",
                                           "login 200 200 200 200 200 200"),
    "reports:introductions":              ("login 200 200 403 403 403 404",
                                           "login 405 405 405 405 405 405"),
    "reports:introduction":               ("login 200 200 403 403 403 404",
                                           "login 302 302 403 403 403 404"),
    "reports:introduction_reset":         ("login 405 405 405 405 405 405",
                                           "login 302 302 403 403 403 404"),
    "set_language":                       ("302 302 302 302 302 302 302",
                                           "302 302 302 302 302 302 302"),
    # The admin is for staff accounts only; none of the roles makes a user staff.
    "admin:index":                        ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:login":                        ("200 200 200 200 200 200 200",
                                           "200 200 200 200 200 200 200"),
    "admin:logout":                       ("302 302 302 302 302 302 302",
                                           "302 302 302 302 302 302 302"),
    "admin:password_change":              ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:password_change_done":         ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:autocomplete":                 ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:jsi18n":                       ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:view_on_site":                 ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:app_list":                     ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/":                     ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/add/":                 ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/<path:object_id>/":    ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/<path:object_id>/change/":
                                          ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/<path:object_id>/delete/":
                                          ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/<path:object_id>/history/":
                                          ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/^([^/]+)/history/([^/]+)/$":
                                          ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:<model>/<id>/password/":        ("login login login login login login login",
                                           "login login login login login login login"),
    "admin:(?P<url>.*)$":                 ("login login login login login login login",
                                           "login login login login login login login"),
}
# fmt: on


def _walk(resolver: URLResolver, route: str = "", namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _walk(pattern, route + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield (
                ":".join(filter(None, [namespace, pattern.name or ""])),
                (
                    namespace,
                    route + str(pattern.pattern),
                ),
            )


def _admin_prefixes() -> dict[str, str]:
    prefixes = {}
    for model in admin.site._registry:
        prefixes[f"admin/{model._meta.app_label}/{model._meta.model_name}/"] = "<model>"
    return prefixes


def url_keys() -> set[str]:
    """Every URL pattern of the project, the admin's collapsed to one per shape."""
    keys = set()
    prefixes = _admin_prefixes()
    for name, (namespace, route) in _walk(get_resolver()):
        if namespace == "admin":
            prefix = next((p for p in prefixes if route.startswith(p)), None)
            if prefix is not None:
                name = f"admin:{prefixes[prefix]}/{route.removeprefix(prefix)}"
            elif name == "admin":  # unnamed, like the catch-all
                name = f"admin:{route.removeprefix('admin/')}"
        keys.add(name)
    return keys


@dataclass(frozen=True)
class Target:
    url: str
    data: dict[str, Any]
    json: bool = False  # the API takes its POST bodies as JSON


LOGIN_PATHS = ("/konto/logga-in/", "/admin/login/")


def outcome(response: Any) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.split("?")[0] in LOGIN_PATHS:
        return "login"
    return str(response.status_code)


def finish(response: Any) -> None:
    """Read a download to its end, as a WSGI server does, so its file is closed.

    (Calling response.close() again would close the test's database connection.)
    """
    if response.streaming:
        b"".join(response.streaming_content)


@time_machine.travel(datetime.datetime(2025, 9, 10, 10, tzinfo=datetime.UTC), tick=False)
class PermissionMatrixTests(BaseTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = cls.enterClassContext(tempfile.TemporaryDirectory())
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        Action.objects.filter(pk=cls.sn_action.pk).update(assignee=cls.responsible)
        cls.goal = Goal.objects.create(
            organisation=cls.organisation, external_id="1.1", unit=cls.sn, year=2025, title="Mål"
        )
        cls.process = Process.objects.create(organisation=cls.organisation, name="Utbetalning")
        cls.risk_area = RiskArea.objects.create(organisation=cls.organisation, name="Ekonomi")
        cls.evidence = Evidence.objects.create(
            follow_up=cls.sn_follow_up,
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="protokoll.pdf"),
            name="protokoll.pdf",
            content_type="application/pdf",
            size=15,
            uploaded_by=cls.coordinator,
        )
        cls.deviation = FollowUp.objects.create(
            control_activity=cls.sn_activity,
            date=datetime.date(2025, 5, 2),
            result="deviation",
            comment="Två utbetalningar saknade attest.",
        )
        cls.forgetful = make_user("glomsk", cls.organisation)  # asks for a new password
        cls.adopted_version = record_version(
            cls.sn_plan,
            kind="plan",
            decided_on=datetime.date(2024, 12, 12),
            reference="SN-2024/259",
            acting_user=cls.coordinator,
        )
        cls.report_job = ReportJob.objects.create(
            requested_by=cls.coordinator,
            plan=cls.sn_plan,
            kind="control-plan",
            format="pdf",
            language="sv",
            status=ReportJob.Status.READY,
            share="whole",
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="plan.pdf"),
            filename="plan.pdf",
            content_type="application/pdf",
            expires_at=datetime.datetime(2025, 9, 11, tzinfo=datetime.UTC),
        )
        cls.nomination = Nomination.objects.create(
            plan=cls.sn_plan,
            unit=cls.sf_vux,
            title="Hot mot personal",
            motivation="Tre incidenter i år.",
            proposed_by=cls.responsible,
        )
        # The administrator's own API token (revoked only by them).
        cls.token = create_token(cls.admin, name="BI", expires_in_days=None, acting_user=None)[0]
        cls.pending_workbook = PendingWorkbook.objects.create(
            plan=cls.sn_plan,
            uploaded_by=cls.coordinator,
            name="plan.xlsx",
            file=ContentFile(workbook_bytes(cls.sn_plan, author="Exempelstad"), name="plan.xlsx"),
        )
        cls.users: dict[str, User | None] = {
            "anonymous": None,
            "admin": cls.admin,
            "coordinator": cls.coordinator,
            "responsible": cls.responsible,
            "reader": cls.reader,
            "auditor": cls.auditor,
            "outsider": cls.outsider,
        }

    def period(self, code: str = "T2") -> int:
        return self.organisation.periods.get(code=code).pk

    def targets(self) -> dict[str, Target]:
        """For each table row: the URL to request and the valid data a POST sends."""
        risk, action, activity = self.sn_risk, self.sn_action, self.sn_activity
        nomination = self.nomination
        report, recommendation = self.sn_report, self.sn_recommendation
        follow_up = {
            "period": self.period(),
            "date": "2025-09-05",
            "comment": "Klart enligt plan.",
            "version": 1,
        }
        risk_data = {"title": "Ny risk", "unit": self.sf_vux.pk, "cell": "2-3", "version": 1}
        action_data = {"title": "Ny åtgärd", "status": "not_started", "version": 1}
        activity_data = {
            "title": "Ny kontroll",
            "method": "sample",
            "frequency": "yearly",
            "version": 1,
        }
        recommendation_data = {"text": "Ändrad text.", "status": "in_progress"}
        admin_risk = f"admin:{Risk._meta.app_label}_{Risk._meta.model_name}"
        history_id = risk.history.first().history_id  # type: ignore[attr-defined]
        none: dict[str, Any] = {}
        t = Target
        return {
            "followups:mine": t(reverse("followups:mine"), none),
            "followups:board": t(reverse("followups:board"), none),
            "reminders:preferences": t(
                reverse("reminders:preferences"), {"receives_reminders": "on"}
            ),
            "organisation:period_edit": t(
                reverse("organisation:period_edit", args=[self.period()]),
                {"deadline_days": 10, "version": 1},
            ),
            "organisation:period_create": t(
                reverse("organisation:period_create"),
                {"name": "Delår", "code": "DR", "ends_month": 6, "ends_day": 30, "position": 3},
            ),
            "organisation:period_change": t(
                reverse("organisation:period_change", args=[self.period()]),
                {"name": "Tertial 2", "code": "T2", "ends_month": 8, "ends_day": 31}
                | {"position": 1, "version": 1},
            ),
            "organisation:period_delete": t(
                reverse("organisation:period_delete", args=[self.period()]), {"version": 1}
            ),
            "followups:report_action": t(
                reverse("followups:report_action", args=[action.pk]),
                {**follow_up, "status": "done", "on_track": "yes"},
            ),
            "followups:report_control_activity": t(
                reverse("followups:report_control_activity", args=[activity.pk]),
                {**follow_up, "result": "no_remarks"},
            ),
            "followups:evidence": t(reverse("followups:evidence", args=[self.evidence.pk]), none),
            "followups:answer_deviation": t(
                reverse("followups:answer_deviation", args=[self.deviation.pk]),
                {"action": str(action.pk), "version": 1},
            ),
            "followups:report_risk": t(
                reverse("followups:report_risk", args=[risk.pk]), {**follow_up, "on_track": "no"}
            ),
            "accounts:login": t(
                reverse("accounts:login"), {"username": "lasare", "password": PASSWORD}
            ),
            "accounts:logout": t(reverse("accounts:logout"), none),
            "accounts:password_reset": t(
                reverse("accounts:password_reset"), {"email": "lasare@example.se"}
            ),
            "accounts:password_reset_done": t(reverse("accounts:password_reset_done"), none),
            "accounts:password_reset_confirm": t(
                reverse(
                    "accounts:password_reset_confirm",
                    args=[
                        urlsafe_base64_encode(force_bytes(self.forgetful.pk)),
                        default_token_generator.make_token(self.forgetful),
                    ],
                ),
                none,
            ),
            "accounts:password_reset_complete": t(
                reverse("accounts:password_reset_complete"), none
            ),
            "accounts:email_confirm": t(reverse("accounts:email_confirm", args=["ogiltig"]), none),
            "oidc_authentication_init": t(reverse("oidc_authentication_init"), none),
            "oidc_authentication_callback": t(reverse("oidc_authentication_callback"), none),
            "trail:log": t(reverse("trail:log"), none),
            "accounts:demo_login": t(reverse("accounts:demo_login"), {"username": "admin"}),
            "risks:overview": t(reverse("risks:overview"), none),
            "risks:create": t(f"{reverse('risks:create')}?plan={self.sn_plan.pk}", risk_data),
            "risks:detail": t(reverse("risks:detail", args=[risk.pk]), none),
            "risks:edit": t(reverse("risks:edit", args=[risk.pk]), risk_data),
            "risks:action_create": t(reverse("risks:action_create", args=[risk.pk]), action_data),
            "risks:action_edit": t(reverse("risks:action_edit", args=[action.pk]), action_data),
            "controls:create": t(reverse("controls:create", args=[risk.pk]), activity_data),
            "controls:edit": t(reverse("controls:edit", args=[activity.pk]), activity_data),
            "plans:current": t(reverse("plans:current"), none),
            "plans:detail": t(reverse("plans:detail", args=[self.sn_plan.pk]), none),
            "plans:create": t(reverse("plans:create"), {"unit": self.sn.pk, "year": 2026}),
            "plans:adopt": t(
                reverse("plans:adopt", args=[self.sn_plan.pk]),
                {
                    "adopted_on": "2025-02-01",
                    "reference": "SN-2025/12",
                    "version": 1,
                },
            ),
            "plans:assessment": t(
                reverse("plans:assessment", args=[self.sn_plan.pk]),
                {
                    "verdict": "partly_sufficient",
                    "decided_on": "",
                    "analysis": "Brister.",
                    "version": 1,
                },
            ),
            "plans:version": t(reverse("plans:version", args=[self.adopted_version.pk]), none),
            "plans:lifecycle": t(
                reverse("plans:lifecycle", args=[self.sn_plan.pk]),
                {"step": "follow_up", "version": self.sn_plan.version},
            ),
            "plans:rollover": t(
                reverse("plans:rollover", args=[self.sn_plan.pk]),
                {f"decision-{risk.pk}": "carry"},
            ),
            "plans:rollover_undo": t(reverse("plans:rollover_undo", args=[self.sn_plan.pk]), none),
            "nominations:mine": t(reverse("nominations:mine"), none),
            "nominations:create": t(
                f"{reverse('nominations:create')}?plan={self.sn_plan.pk}",
                {"unit": self.sf_vux.pk, "title": "Nytt förslag", "motivation": "Viktig."},
            ),
            "nominations:detail": t(reverse("nominations:detail", args=[nomination.pk]), none),
            "nominations:accept": t(
                reverse("nominations:accept", args=[nomination.pk]), {"version": 1}
            ),
            "nominations:send_back": t(
                reverse("nominations:send_back", args=[nomination.pk]),
                {"version": 1, "reason": "Hanteras i förbättringsarbetet."},
            ),
            "nominations:withdraw": t(
                reverse("nominations:withdraw", args=[nomination.pk]), {"version": 1}
            ),
            "nominations:queue": t(reverse("nominations:queue", args=[self.sn_plan.pk]), none),
            "audits:index": t(reverse("audits:index"), none),
            "audits:create": t(
                reverse("audits:create"),
                {
                    "unit": self.sn.pk,
                    "title": "Ny granskning",
                    "auditor": "EY",
                    "date": "2025-09-01",
                },
            ),
            "audits:detail": t(reverse("audits:detail", args=[report.pk]), none),
            "audits:edit": t(
                reverse("audits:edit", args=[report.pk]),
                {
                    "unit": self.sn.pk,
                    "title": "Ändrad granskning",
                    "auditor": "EY",
                    "date": "2025-09-01",
                    "version": report.version,
                },
            ),
            "audits:recommendation_create": t(
                reverse("audits:recommendation_create", args=[report.pk]), recommendation_data
            ),
            "audits:recommendation_edit": t(
                reverse("audits:recommendation_edit", args=[recommendation.pk]),
                {**recommendation_data, "version": recommendation.version},
            ),
            "audits:recommendation_follow_up": t(
                reverse("audits:recommendation_follow_up", args=[recommendation.pk]),
                {
                    "date": "2025-09-05",
                    "status": "done",
                    "comment": "Anvisningen är antagen.",
                    "version": recommendation.version,
                },
            ),
            "accounts:users": t(reverse("accounts:users"), none),
            "accounts:user_create": t(
                reverse("accounts:user_create"),
                {"username": "ny", "email": "ny@example.se", "is_active": "on"},
            ),
            "accounts:user_edit": t(
                reverse("accounts:user_edit", args=[self.reader.pk]),
                {"username": "lasare", "email": "lasare@example.se", "is_active": "on"},
            ),
            "accounts:role_add": t(
                reverse("accounts:role_add", args=[self.reader.pk]),
                {"role": "reader", "unit": self.sn.pk},
            ),
            "accounts:role_remove": t(
                reverse("accounts:role_remove", args=[self.auditor.role_assignments.get().pk]),
                none,
            ),
            "organisation:overview": t(reverse("organisation:overview"), none),
            "organisation:settings": t(reverse("organisation:settings"), none),
            "organisation:report_template_default": t(
                reverse("organisation:report_template_default"), none
            ),
            "organisation:report_template_download": t(
                reverse("organisation:report_template_download"), none
            ),
            "organisation:report_template_upload": t(
                reverse("organisation:report_template_upload"), none
            ),
            "organisation:report_template_remove": t(
                reverse("organisation:report_template_remove"), none
            ),
            "organisation:matrix_edit": t(
                reverse("organisation:matrix_edit"),
                {
                    "opened_from": self.organisation.risk_matrix_id,
                    "probability_size": 3,
                    "consequence_size": 3,
                    "level_count": 2,
                    **{f"probability_{n}": f"S{n}" for n in (1, 2, 3)},
                    **{f"consequence_{n}": f"K{n}" for n in (1, 2, 3)},
                    **{"level_1_name": "Låg", "level_1_min_score": 1, "level_1_color": "#2e7d32"},
                    **{"level_2_name": "Hög", "level_2_min_score": 5, "level_2_color": "#c62828"},
                },
            ),
            "organisation:unit_create": t(
                reverse("organisation:unit_create"),
                {"name": "Äldreenheten", "kind": "unit", "parent": self.sf.pk},
            ),
            "organisation:unit_edit": t(
                reverse("organisation:unit_edit", args=[self.sf_barn.pk]),
                {"name": "Barn och familj", "kind": "unit", "parent": self.sf.pk, "version": 1},
            ),
            "organisation:goal_create": t(
                reverse("organisation:goal_create"),
                {"external_id": "1.2", "title": "Nytt mål", "unit": self.sn.pk, "year": 2025},
            ),
            "organisation:goal_edit": t(
                reverse("organisation:goal_edit", args=[self.goal.pk]),
                {
                    "external_id": "1.1",
                    "title": "Ändrat mål",
                    "unit": self.sn.pk,
                    "year": 2025,
                    "version": 1,
                },
            ),
            "organisation:process_create": t(
                reverse("organisation:process_create"), {"name": "Inköp"}
            ),
            "organisation:process_edit": t(
                reverse("organisation:process_edit", args=[self.process.pk]),
                {"name": "Inköp", "version": 1},
            ),
            "organisation:risk_area_create": t(
                reverse("organisation:risk_area_create"), {"name": "Personal"}
            ),
            "organisation:risk_area_edit": t(
                reverse("organisation:risk_area_edit", args=[self.risk_area.pk]),
                {"name": "Personal", "version": 1},
            ),
            "search:results": t(f"{reverse('search:results')}?q=utbetalningar", none),
            "reports:version": t(reverse("reports:version", args=[self.adopted_version.pk]), none),
            "reports:report": t(
                reverse("reports:report", args=["control-plan", self.sn_plan.pk]), none
            ),
            "jobs:status": t(reverse("jobs:status", args=[self.report_job.pk]), none),
            "jobs:file": t(reverse("jobs:file", args=[self.report_job.pk]), none),
            "health": t(reverse("health"), none),
            "workbooks:download": t(reverse("workbooks:download", args=[self.sn_plan.pk]), none),
            "workbooks:template": t(reverse("workbooks:template", args=[self.sn_plan.pk]), none),
            "workbooks:upload": t(reverse("workbooks:upload", args=[self.sn_plan.pk]), none),
            "workbooks:preview": t(
                reverse("workbooks:preview", args=[self.pending_workbook.pk]), none
            ),
            "workbooks:apply": t(reverse("workbooks:apply", args=[self.pending_workbook.pk]), none),
            "workbooks:cancel": t(
                reverse("workbooks:cancel", args=[self.pending_workbook.pk]), none
            ),
            **self.api_targets(),
            "reports:introductions": t(
                reverse("reports:introductions", args=[self.sn_plan.pk]), none
            ),
            "reports:introduction": t(
                reverse("reports:introduction", args=[self.sn_plan.pk, "follow-up"]),
                {"text": "Nämndens egen inledning."},
            ),
            "reports:introduction_reset": t(
                reverse("reports:introduction_reset", args=[self.sn_plan.pk, "follow-up"]),
                {"version": 1},
            ),
            "set_language": t(reverse("set_language"), {"language": "en", "next": "/"}),
            "admin:index": t(reverse("admin:index"), none),
            "admin:login": t(reverse("admin:login"), {"username": "lasare", "password": PASSWORD}),
            "admin:logout": t(reverse("admin:logout"), none),
            "admin:password_change": t(reverse("admin:password_change"), none),
            "admin:password_change_done": t(reverse("admin:password_change_done"), none),
            "admin:autocomplete": t(reverse("admin:autocomplete"), none),
            "admin:jsi18n": t(reverse("admin:jsi18n"), none),
            "admin:view_on_site": t(
                reverse(
                    "admin:view_on_site",
                    args=[ContentType.objects.get_for_model(Risk).pk, risk.pk],
                ),
                none,
            ),
            "admin:app_list": t(reverse("admin:app_list", args=["risks"]), none),
            "admin:<model>/": t(reverse(f"{admin_risk}_changelist"), none),
            "admin:<model>/add/": t(reverse(f"{admin_risk}_add"), {"title": "Via admin"}),
            "admin:<model>/<path:object_id>/": t(f"/admin/risks/risk/{risk.pk}/", none),
            "admin:<model>/<path:object_id>/change/": t(
                reverse(f"{admin_risk}_change", args=[risk.pk]), {"title": "Via admin"}
            ),
            "admin:<model>/<path:object_id>/delete/": t(
                reverse(f"{admin_risk}_delete", args=[risk.pk]), {"post": "yes"}
            ),
            "admin:<model>/<path:object_id>/history/": t(
                reverse(f"{admin_risk}_history", args=[risk.pk]), none
            ),
            "admin:<model>/^([^/]+)/history/([^/]+)/$": t(
                reverse(f"{admin_risk}_simple_history", args=[risk.pk, history_id]), none
            ),
            "admin:<model>/<id>/password/": t(
                reverse("admin:auth_user_password_change", args=[self.coordinator.pk]),
                {"password1": "nytt-lösenord-2025-x", "password2": "nytt-lösenord-2025-x"},
            ),
            "admin:(?P<url>.*)$": t("/admin/finns-inte/", none),
        }

    def api_targets(self) -> dict[str, Target]:
        """The API's operations on sn's objects, the POSTs with a valid JSON body; a change also
        needs If-Match, so those that pass the gate get 428 here (the API's own permission test,
        internkontroll/api/tests/test_permissions.py, sends it)."""
        period = self.period()
        objects = {
            "risk": self.sn_risk.pk,
            "action": self.sn_action.pk,
            "control_activity": self.sn_activity.pk,
            "follow_up": self.sn_follow_up.pk,
            "plan": self.sn_plan.pk,
            "adopted_version": self.adopted_version.pk,
            "audit_report": self.sn_report.pk,
            "recommendation": self.sn_recommendation.pk,
            "assessment": self.sn_assessment.pk,
            "goal": self.goal.pk,
            "unit": self.sn.pk,
            "organisation": self.organisation.pk,
            "period": period,
            "matrix": self.sn_plan.risk_matrix_id,
            "process": self.process.pk,
            "risk_area": self.risk_area.pk,
        }
        plural = {
            "process": "processes",
            "matrix": "matrices",
            "risk_area": "risk_areas",
            "control_activity": "control_activities",
        }
        targets = {}
        for name, pk in objects.items():
            targets[f"api:get_{name}"] = Target(reverse(f"api:get_{name}", args=[pk]), {})
            listed = f"api:list_{plural.get(name, name + 's')}"
            targets[listed] = Target(reverse(listed), {})
        targets["api:get_evidence_content"] = Target(
            reverse("api:get_evidence_content", args=[self.evidence.pk]), {}
        )
        follow_up = {"period": period, "date": "2025-09-05", "comment": "Klart enligt plan."}
        posts = {
            "api:create_risk": ([], {"plan": self.sn_plan.pk, "title": "Ny risk"}),
            "api:create_action": ([], {"risk": self.sn_risk.pk, "title": "Ny åtgärd"}),
            "api:create_control_activity": ([], {"risk": self.sn_risk.pk, "title": "Ny"}),
            "api:update_risk": ([self.sn_risk.pk], {}),
            "api:update_action": ([self.sn_action.pk], {}),
            "api:update_control_activity": ([self.sn_activity.pk], {}),
            "api:report_action": ([self.sn_action.pk], {**follow_up, "status": "done"}),
            "api:report_control_activity": (
                [self.sn_activity.pk],
                {**follow_up, "result": "no_remarks"},
            ),
            "api:report_risk": ([self.sn_risk.pk], {**follow_up, "on_track": True}),
            "api:report_recommendation": (
                [self.sn_recommendation.pk],
                {"date": "2025-09-05", "status": "done", "comment": "Klart."},
            ),
            "api:create_audit_report": (
                [],
                {"committee": self.sn.pk, "title": "Ny granskning", "date": "2025-09-01"},
            ),
            "api:update_audit_report": ([self.sn_report.pk], {}),
            "api:create_recommendation": ([self.sn_report.pk], {"text": "Inför en rutin."}),
            "api:update_recommendation": ([self.sn_recommendation.pk], {}),
            "api:create_unit": ([], {"name": "Äldreenheten", "kind": "unit", "parent": self.sf.pk}),
            "api:update_unit": ([self.sn.pk], {}),
            "api:create_goal": (
                [],
                {"external_id": "2.1", "title": "Nytt mål", "unit": self.sn.pk},
            ),
            "api:update_goal": ([self.goal.pk], {}),
            "api:create_process": ([], {"name": "Inköp"}),
            "api:rename_process": ([self.process.pk], {}),
            "api:create_risk_area": ([], {"name": "Personal"}),
            "api:rename_risk_area": ([self.risk_area.pk], {}),
            "api:create_plan": ([], {"committee": self.sn.pk, "year": 2026}),
            "api:adopt_plan": (
                [self.sn_plan.pk],
                {"adopted_on": "2025-09-01", "reference": "SN-2025/12"},
            ),
            "api:save_assessment": ([self.sn_plan.pk], {}),
        }
        for name, (args, data) in posts.items():
            targets[name] = Target(reverse(name, args=args), data, json=True)
        targets["api:api-root"] = Target("/api/", {})
        targets["api:openapi-json"] = Target(reverse("api:openapi-json"), {})
        targets["api_pages:docs"] = Target(reverse("api_pages:docs"), {})
        targets["api_pages:tokens"] = Target(reverse("api_pages:tokens"), {"name": "BI"})
        targets["api_pages:revoke"] = Target(reverse("api_pages:revoke", args=[self.token.pk]), {})
        return targets

    def outcome(self, role: str, method: str, target: Target) -> str:
        """What the role gets, with every write rolled back afterwards."""
        with transaction.atomic():
            client = Client(raise_request_exception=False)
            user = self.users[role]
            if user is not None:
                client.force_login(user)
            if method == "GET":
                response = client.get(target.url)
            else:
                content_type = {"content_type": "application/json"} if target.json else {}
                response = client.post(target.url, target.data, **content_type)
            finish(response)
            transaction.set_rollback(True)
        return outcome(response)

    def actual(self, names: list[str]) -> dict[str, tuple[str, str]]:
        targets = self.targets()
        return {
            name: tuple(  # type: ignore[misc]
                " ".join(self.outcome(role, method, targets[name]) for role in ROLES)
                for method in ("GET", "POST")
            )
            for name in names
        }

    def test_every_url_pattern_has_a_row_in_the_table(self) -> None:
        missing = sorted(url_keys() - EXPECTED.keys())
        assert not missing, f"URL patterns without a row in EXPECTED: {', '.join(missing)}"

    def test_the_table_names_only_url_patterns_that_exist(self) -> None:
        assert not sorted(EXPECTED.keys() - url_keys())
        assert EXPECTED.keys() == self.targets().keys()

    def test_every_role_gets_the_status_the_table_gives_for_every_url(self) -> None:
        actual = self.actual(sorted(EXPECTED))
        differences = [
            f"{name} {method}: expected {want!r}, got {got!r}"
            for name in sorted(EXPECTED)
            for method, want, got in zip(("GET", "POST"), EXPECTED[name], actual[name], strict=True)
            if want.split() != got.split()
        ]
        assert not differences, "\n".join(differences)
