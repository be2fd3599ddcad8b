"""Least privilege on PostgreSQL: group roles, grants, guards and the audit chain in the database

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 09:00:00

The four group roles of shared/roles.md (``physioline_physio``, ``physioline_team_lead``,
``physioline_admin_staff``, ``physioline_system_admin``) get GRANTs where a whole table belongs
to a role, column GRANTs where only some columns may change, and BEFORE triggers (``guard``
functions checking ``pg_has_role(session_user, ...)``) where one table's rows are split between
roles: a physio may claim an unassigned referral but not reassign a colleague's, nor release a
colleague's claim, nor write a row in a colleague's name, nor change a signed assessment.

Audit rows are appended only by ``physioline_audit_append`` (SECURITY DEFINER): it takes the
chain's advisory lock, reads the previous hash, names the signed-in login (a member of a group
cannot write in anyone else's name) and computes the row hash in SQL with the canonical form of
``physioline.db.uow.audit_row_hash`` (docs/audit-chain.md). No application role may INSERT,
UPDATE or DELETE audit rows directly. Deferred triggers on the clinical tables append a
``db.insert`` / ``db.update`` / ``db.delete`` row for every change the transaction did not
itself explain with an audit row about the same patient (or user): an edit made outside the
app is audited too.

On SQLite there are no roles: this revision does nothing there.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: physioline.db.uow.AUDIT_CHAIN_LOCK (0x50485931); repeated so this script never changes.
AUDIT_CHAIN_LOCK = 1346918705
GROUPS = (
    "physioline_physio",
    "physioline_team_lead",
    "physioline_admin_staff",
    "physioline_system_admin",
)
CLINICAL = ("physioline_physio", "physioline_team_lead", "physioline_admin_staff")
CALLERS = ("physioline_physio", "physioline_team_lead")
TEAM_LEAD = ("physioline_team_lead",)
BOOKERS = CLINICAL
SYSTEM_ADMIN = ("physioline_system_admin",)
ROTA_EDITORS = ("physioline_team_lead", "physioline_system_admin")
ADMIN_STAFF = ("physioline_admin_staff",)
#: Who adds, blocks or releases single slots, and who generates them from the rota.
SLOT_WRITERS = (*ROTA_EDITORS, "physioline_admin_staff")

#: Tables every clinical role reads (the worklist, patients, referrals, letters...).
CLINICAL_READ = (
    "service_setting", "gp_practice", "clinic", "app_user", "shift", "patient", "patient_phone",
    "referral", "call_attempt", "protocol_version", "assessment", "assessment_addendum",
    "rota_template", "rota_exception", "slot", "appointment", "waiting_list_entry", "letter",
    "postcode_district", "alembic_version",
)  # fmt: skip
#: What IT reads: no patient, referral, assessment, appointment or letter.
SYSTEM_ADMIN_READ = (
    "service_setting", "gp_practice", "clinic", "app_user", "rota_template", "rota_exception",
    "slot", "postcode_district", "alembic_version", "audit_event",
)  # fmt: skip

#: (privilege, tables, groups): whole-table and column grants.
GRANTS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("SELECT", CLINICAL_READ, CLINICAL),
    ("SELECT", SYSTEM_ADMIN_READ, SYSTEM_ADMIN),
    ("SELECT", ("audit_event",), TEAM_LEAD),
    # Slot generation withdraws free slots that never had a booking: which slots, not whose.
    ("SELECT (id, slot_id, status)", ("appointment",), SYSTEM_ADMIN),
    # Triage calls: claim, attempts, assessments, sign-off, addenda.
    ("INSERT", ("call_attempt", "protocol_version", "assessment", "assessment_addendum"),
     CALLERS),
    ("UPDATE (status, claimed_by_id, claimed_at, assigned_to_id, closed_at, updated_at, version)",
     ("referral",), CALLERS),
    ("UPDATE (clinician_id, answers, red_flags, scores, recommended_disposition, "
     "chosen_disposition, destination, pathway, downgrade_reason, notes, state, updated_at, "
     "signed_at, version)", ("assessment",), CALLERS),
    # Booking, the waiting list and the print queue.
    ("INSERT, UPDATE", ("appointment", "waiting_list_entry"), BOOKERS),
    ("INSERT", ("letter",), BOOKERS),
    ("UPDATE (status, held_reason, pdf, pdf_sha256, printed_at, printed_by_id, print_count, "
     "version)", ("letter",), BOOKERS),
    # Booking moves a referral between triaged and booked (guarded below).
    ("UPDATE (status, updated_at, version)", ("referral",), ADMIN_STAFF),
    ("UPDATE (state, blocked_reason, held_for_urgent, version)", ("slot",), GROUPS),
    # Team leads: shifts and capacity.
    ("INSERT, UPDATE, DELETE", ("shift",), TEAM_LEAD),
    ("UPDATE (calls_per_session)", ("app_user",), TEAM_LEAD),
    # Rota templates and exceptions, slot generation.
    ("INSERT, UPDATE, DELETE", ("rota_template", "rota_exception"), ROTA_EDITORS),
    ("INSERT", ("slot",), SLOT_WRITERS),
    ("DELETE", ("slot",), ROTA_EDITORS),
    # IT: clinics, GP practices, service settings, user accounts.
    ("INSERT, UPDATE", ("clinic", "gp_practice", "service_setting", "app_user"), SYSTEM_ADMIN),
)  # fmt: skip

#: Tables whose ``id`` sequence a group needs for its INSERTs.
SEQUENCES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("call_attempt", "assessment", "assessment_addendum"), CALLERS),
    (("appointment", "waiting_list_entry", "letter"), BOOKERS),
    (("shift",), TEAM_LEAD),
    (("rota_template", "rota_exception"), ROTA_EDITORS),
    (("slot",), SLOT_WRITERS),
    (("clinic", "gp_practice", "app_user"), SYSTEM_ADMIN),
)

#: Tables holding patient records (and accounts) whose every change lands in the audit chain.
AUDITED_TABLES = (
    "patient", "patient_phone", "referral", "call_attempt", "assessment", "assessment_addendum",
    "appointment", "waiting_list_entry", "letter", "app_user",
)  # fmt: skip

#: (table, guard function, events) for the rows split between roles.
GUARDS = (
    ("referral", "physioline_guard_referral", "UPDATE"),
    ("call_attempt", "physioline_guard_call_attempt", "INSERT"),
    ("assessment", "physioline_guard_assessment", "INSERT OR UPDATE"),
    ("assessment_addendum", "physioline_guard_addendum", "INSERT"),
    ("letter", "physioline_guard_letter", "INSERT OR UPDATE"),
    ("slot", "physioline_guard_slot", "UPDATE"),
    ("appointment", "physioline_guard_appointment", "INSERT OR UPDATE"),
    ("waiting_list_entry", "physioline_guard_waiting_list", "INSERT"),
)

CREATE_GROUPS = """
DO $$
DECLARE
    g text;
BEGIN
    FOREACH g IN ARRAY ARRAY['physioline_physio', 'physioline_team_lead',
                             'physioline_admin_staff', 'physioline_system_admin'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', g);
        EXCEPTION WHEN duplicate_object THEN
            NULL;  -- created by another database of this cluster: roles are cluster-wide
        END;
    END LOOP;
    ALTER ROLE physioline_system_admin CREATEROLE;
    -- PostgreSQL 16+: CREATEROLE alone no longer lets IT put a new login into a group; give
    -- IT the right to grant each clinical group without holding (or using) its privileges.
    IF current_setting('server_version_num')::int >= 160000 THEN
        FOREACH g IN ARRAY ARRAY['physioline_physio', 'physioline_team_lead',
                                 'physioline_admin_staff'] LOOP
            EXECUTE format('GRANT %I TO physioline_system_admin '
                           'WITH ADMIN OPTION, INHERIT FALSE, SET FALSE', g);
        END LOOP;
    END IF;
END
$$
"""

FUNCTIONS = r"""
-- Which group roles the signed-in login belongs to. A superuser counts as a member of every
-- role for pg_has_role, so superusers (and the schema owner, a member of none) are "no group".
-- Plain SQL with qualified names and no SET clause, so the planner inlines them: the audit
-- trigger asks for every row a bulk load writes.
CREATE OR REPLACE FUNCTION physioline_in_group(group_role text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT NOT r.rolsuper AND pg_catalog.pg_has_role(r.oid, group_role, 'MEMBER')
                       FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
$$;

CREATE OR REPLACE FUNCTION physioline_in_any_group() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT coalesce((
        SELECT NOT r.rolsuper
               AND (pg_catalog.pg_has_role(r.oid, 'physioline_physio', 'MEMBER')
                    OR pg_catalog.pg_has_role(r.oid, 'physioline_team_lead', 'MEMBER')
                    OR pg_catalog.pg_has_role(r.oid, 'physioline_admin_staff', 'MEMBER')
                    OR pg_catalog.pg_has_role(r.oid, 'physioline_system_admin', 'MEMBER'))
          FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)
$$;

-- The app_user row of the signed-in login (its username is the login role's name).
CREATE OR REPLACE FUNCTION physioline_my_user_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT id FROM public.app_user WHERE username = session_user::text
$$;

-- JSON as Python's json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
-- writes it. Numbers keep the text they were stored with (Python wrote them, and reads them
-- back to the same text); strings are re-escaped the way Python escapes them.
CREATE OR REPLACE FUNCTION physioline_canonical_json(j json) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, public AS $$
DECLARE
    kind text := json_typeof(j);
    out text;
BEGIN
    IF j IS NULL OR kind = 'null' THEN
        RETURN 'null';
    ELSIF kind = 'object' THEN
        SELECT '{' || coalesce(string_agg(to_json(e.key)::text || ':'
                                          || physioline_canonical_json(e.value), ','
                                          ORDER BY e.key COLLATE "C"), '') || '}'
          INTO out FROM json_each(j) AS e;
        RETURN out;
    ELSIF kind = 'array' THEN
        SELECT '[' || coalesce(string_agg(physioline_canonical_json(e.value), ','
                                          ORDER BY e.n), '') || ']'
          INTO out FROM json_array_elements(j) WITH ORDINALITY AS e(value, n);
        RETURN out;
    ELSIF kind = 'string' THEN
        RETURN to_json(j #>> '{}')::text;
    END IF;
    RETURN btrim(j::text);  -- number, true, false
END
$$;

-- SHA-256 of an audit row's canonical form (physioline.db.uow.audit_row_hash).
CREATE OR REPLACE FUNCTION physioline_audit_hash(
    p_occurred_at timestamptz, p_user_id integer, p_actor text, p_action text, p_entity text,
    p_entity_id text, p_patient_id integer, p_details json, p_prev_hash text
) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, public AS $$
    SELECT encode(sha256(convert_to(
        '{"action":' || to_json(p_action)::text
        || ',"actor":' || to_json(p_actor)::text
        || ',"details":' || physioline_canonical_json(p_details)
        || ',"entity":' || to_json(p_entity)::text
        || ',"entity_id":' || coalesce(to_json(p_entity_id)::text, 'null')
        || ',"occurred_at":"'
        || to_char(p_occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00"'
        || ',"patient_id":' || coalesce(p_patient_id::text, 'null')
        || ',"prev_hash":' || to_json(p_prev_hash)::text
        || ',"user_id":' || coalesce(p_user_id::text, 'null')
        || '}', 'UTF8')), 'hex')
$$;

-- Append one row to the one audit chain. A member of a PhysioLine group is always recorded as
-- themselves, at the server's time; the schema owner (demo builds, imports) names its actor.
CREATE OR REPLACE FUNCTION physioline_audit_append(
    p_occurred_at timestamptz, p_user_id integer, p_actor text, p_action text, p_entity text,
    p_entity_id text, p_patient_id integer, p_details json
) RETURNS public.audit_event
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    member boolean := physioline_in_any_group();
    previous text;
    result public.audit_event;
BEGIN
    PERFORM pg_advisory_xact_lock(__LOCK__);
    IF member THEN
        p_actor := session_user::text;
        p_user_id := physioline_my_user_id();
        p_occurred_at := clock_timestamp();
    ELSIF p_action NOT LIKE 'db.%' THEN
        -- This transaction explains its own changes (see physioline_audit_row_change).
        PERFORM set_config('physioline.audited_xact', pg_current_xact_id()::text, true);
    END IF;
    p_details := coalesce(p_details, '{}'::json);
    -- Postgres keeps microseconds; so must the hashed time.
    p_occurred_at := date_trunc('microseconds', p_occurred_at);
    SELECT a.row_hash INTO previous FROM public.audit_event a ORDER BY a.id DESC LIMIT 1;
    previous := coalesce(previous, repeat('0', 64));
    INSERT INTO public.audit_event (occurred_at, user_id, actor, action, entity, entity_id,
                                    patient_id, details, prev_hash, row_hash)
    VALUES (p_occurred_at, p_user_id, p_actor, p_action, p_entity, p_entity_id, p_patient_id,
            p_details, previous,
            physioline_audit_hash(p_occurred_at, p_user_id, p_actor, p_action, p_entity,
                                  p_entity_id, p_patient_id, p_details, previous))
    RETURNING * INTO result;
    RETURN result;
END
$$;

-- Deferred (at commit) for every changed row of a clinical table: append a db.<op> row unless
-- the transaction already explained a change to the same patient (or account) in its own audit
-- rows. A login outside the app that edits a referral is therefore always in the chain.
CREATE OR REPLACE FUNCTION physioline_audit_row_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me_xid xid;
    row_j jsonb;
    row_id text;
    patient integer;
    changed json;
    explained boolean;
BEGIN
    -- The schema owner's own audited action (a demo build, an import): checked first and
    -- cheaply, since a bulk load asks for every row. A member cannot use it by setting the
    -- variable by hand: membership is checked too.
    IF current_setting('physioline.audited_xact', true) = pg_current_xact_id()::text
       AND NOT physioline_in_any_group() THEN
        RETURN NULL;
    END IF;
    me_xid := pg_current_xact_id()::xid;
    IF TG_OP = 'DELETE' THEN row_j := to_jsonb(OLD); ELSE row_j := to_jsonb(NEW); END IF;
    row_id := row_j ->> 'id';
    IF TG_TABLE_NAME = 'patient' THEN
        patient := (row_j ->> 'id')::integer;
    ELSIF TG_TABLE_NAME IN ('call_attempt', 'assessment', 'waiting_list_entry') THEN
        SELECT r.patient_id INTO patient FROM public.referral r
         WHERE r.id = (row_j ->> 'referral_id')::integer;
    ELSIF TG_TABLE_NAME = 'assessment_addendum' THEN
        SELECT r.patient_id INTO patient FROM public.assessment a
          JOIN public.referral r ON r.id = a.referral_id
         WHERE a.id = (row_j ->> 'assessment_id')::integer;
    ELSIF row_j ? 'patient_id' THEN
        patient := (row_j ->> 'patient_id')::integer;
    END IF;
    IF patient IS NOT NULL THEN
        SELECT EXISTS (SELECT 1 FROM public.audit_event a
                        WHERE a.patient_id = patient AND a.xmin = me_xid
                          AND a.action NOT LIKE 'db.%') INTO explained;
        IF NOT EXISTS (SELECT 1 FROM public.patient p WHERE p.id = patient) THEN
            patient := NULL;  -- the patient row itself was deleted in this transaction
        END IF;
    ELSE
        -- Accounts: the app audits them as entity "user" or "app_user". Rows this transaction
        -- appended are the newest ones (it holds the chain lock from its first append).
        SELECT EXISTS (
            SELECT 1 FROM (SELECT a.xmin AS x, a.action, a.entity, a.entity_id
                             FROM public.audit_event a ORDER BY a.id DESC LIMIT 200) recent
             WHERE recent.x = me_xid AND recent.action NOT LIKE 'db.%'
               AND recent.entity IN ('user', 'app_user') AND recent.entity_id = row_id
        ) INTO explained;
    END IF;
    IF explained THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(json_agg(n.key ORDER BY n.key COLLATE "C"), '[]'::json) INTO changed
          FROM jsonb_each(to_jsonb(NEW)) n
         WHERE n.value IS DISTINCT FROM (to_jsonb(OLD) -> n.key);
        IF json_array_length(changed) = 0 THEN
            RETURN NULL;  -- nothing changed
        END IF;
    END IF;
    PERFORM physioline_audit_append(
        now(), physioline_my_user_id(), session_user::text, 'db.' || lower(TG_OP),
        TG_TABLE_NAME::text, row_id, patient,
        CASE WHEN TG_OP = 'UPDATE' THEN json_build_object('columns', changed)
             ELSE '{}'::json END);
    RETURN NULL;
END
$$;

-- Guards: where one table's rows are split between roles. The schema owner and superusers
-- belong to no group and pass; every other login is stopped by its grants first.
CREATE OR REPLACE FUNCTION physioline_refuse(message text) RETURNS void
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege', MESSAGE = message;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_referral() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me integer;
BEGIN
    IF NOT physioline_in_any_group() OR physioline_in_group('physioline_team_lead') THEN
        RETURN NEW;
    END IF;
    me := physioline_my_user_id();
    IF NOT physioline_in_group('physioline_physio')
       AND NOT (OLD.status IN ('triaged', 'booked') AND NEW.status IN ('triaged', 'booked')) THEN
        PERFORM physioline_refuse(format(
            'referral %s: the booking office changes a referral only by booking or cancelling',
            OLD.id));
    END IF;
    IF OLD.claimed_by_id IS NOT NULL AND OLD.claimed_by_id IS DISTINCT FROM me THEN
        PERFORM physioline_refuse(format(
            'referral %s is claimed by a colleague: only a team lead may release or change it',
            OLD.id));
    END IF;
    IF NEW.claimed_by_id IS NOT NULL AND NEW.claimed_by_id IS DISTINCT FROM me THEN
        PERFORM physioline_refuse(format(
            'referral %s: you may claim it only for yourself', OLD.id));
    END IF;
    IF NEW.assigned_to_id IS DISTINCT FROM OLD.assigned_to_id
       AND NOT (OLD.assigned_to_id IS NULL AND NEW.assigned_to_id = me) THEN
        PERFORM physioline_refuse(format(
            'referral %s: only a team lead may reassign referrals', OLD.id));
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_call_attempt() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me integer;
    claimer integer;
BEGIN
    IF NOT physioline_in_any_group() THEN
        RETURN NEW;
    END IF;
    me := physioline_my_user_id();
    IF NEW.made_by_id IS DISTINCT FROM me THEN
        PERFORM physioline_refuse('a call attempt is recorded by the person who made it');
    END IF;
    SELECT r.claimed_by_id INTO claimer FROM public.referral r WHERE r.id = NEW.referral_id;
    IF claimer IS NOT NULL AND claimer <> me THEN
        PERFORM physioline_refuse(format(
            'referral %s is claimed by a colleague: record calls on your own claims',
            NEW.referral_id));
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_assessment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me integer;
    claimer integer;
BEGIN
    IF NOT physioline_in_any_group() THEN
        RETURN NEW;
    END IF;
    me := physioline_my_user_id();
    IF NEW.clinician_id IS DISTINCT FROM me THEN
        PERFORM physioline_refuse('an assessment is recorded by the clinician making the call');
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF OLD.state = 'signed' THEN
            PERFORM physioline_refuse(format(
                'assessment %s is signed: add an addendum instead of changing it', OLD.id));
        END IF;
        SELECT r.claimed_by_id INTO claimer FROM public.referral r WHERE r.id = OLD.referral_id;
        IF OLD.clinician_id IS DISTINCT FROM me AND claimer IS NOT NULL AND claimer <> me THEN
            PERFORM physioline_refuse(format(
                'assessment %s belongs to a colleague''s call', OLD.id));
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_addendum() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF physioline_in_any_group() AND NEW.author_id IS DISTINCT FROM physioline_my_user_id() THEN
        PERFORM physioline_refuse('an addendum is written in its author''s own name');
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_letter() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me integer;
BEGIN
    IF NOT physioline_in_any_group() THEN
        RETURN NEW;
    END IF;
    me := physioline_my_user_id();
    IF TG_OP = 'INSERT' AND NEW.created_by_id IS DISTINCT FROM me THEN
        PERFORM physioline_refuse('a letter is queued in its author''s own name');
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- A physio prints her own letters; a colleague's she may only cancel, as cancelling
        -- the appointment it announces does.
        IF NOT (physioline_in_group('physioline_team_lead')
                OR physioline_in_group('physioline_admin_staff'))
           AND OLD.created_by_id IS DISTINCT FROM me
           AND NOT (NEW.status = 'cancelled' AND OLD.status IN ('queued', 'held')
                    AND NEW.print_count = OLD.print_count
                    AND NEW.printed_at IS NOT DISTINCT FROM OLD.printed_at
                    AND NEW.pdf IS NOT DISTINCT FROM OLD.pdf) THEN
            PERFORM physioline_refuse(format(
                'letter %s is a colleague''s: physios print their own letters', OLD.id));
        END IF;
        IF NEW.printed_by_id IS DISTINCT FROM OLD.printed_by_id
           AND NEW.printed_by_id IS DISTINCT FROM me THEN
            PERFORM physioline_refuse('a letter is marked printed by the person printing it');
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_slot() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT physioline_in_any_group() OR physioline_in_group('physioline_team_lead')
       OR physioline_in_group('physioline_admin_staff')
       OR physioline_in_group('physioline_system_admin') THEN
        RETURN NEW;
    END IF;
    -- A physio books and cancels (free <-> booked); blocking, releasing and the urgent hold
    -- are for a team lead or the booking office.
    IF NEW.held_for_urgent IS DISTINCT FROM OLD.held_for_urgent
       OR (NEW.state = 'blocked') IS DISTINCT FROM (OLD.state = 'blocked')
       OR NEW.blocked_reason IS DISTINCT FROM OLD.blocked_reason THEN
        PERFORM physioline_refuse(format(
            'slot %s: only a team lead or the booking office blocks or releases slots', OLD.id));
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_appointment() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    me integer;
BEGIN
    IF NOT physioline_in_any_group() THEN
        RETURN NEW;
    END IF;
    me := physioline_my_user_id();
    IF TG_OP = 'INSERT' AND NEW.booked_by_id IS DISTINCT FROM me THEN
        PERFORM physioline_refuse('an appointment is booked in its booker''s own name');
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.cancelled_by_id IS DISTINCT FROM OLD.cancelled_by_id
       AND NEW.cancelled_by_id IS DISTINCT FROM me THEN
        PERFORM physioline_refuse('an appointment is cancelled in the canceller''s own name');
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION physioline_guard_waiting_list() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF physioline_in_any_group() AND NEW.added_by_id IS DISTINCT FROM physioline_my_user_id()
    THEN
        PERFORM physioline_refuse('a waiting-list entry is added in its author''s own name');
    END IF;
    RETURN NEW;
END
$$;
""".replace("__LOCK__", str(AUDIT_CHAIN_LOCK))

FUNCTION_SIGNATURES = (
    "physioline_guard_waiting_list()",
    "physioline_guard_appointment()",
    "physioline_guard_slot()",
    "physioline_guard_letter()",
    "physioline_guard_addendum()",
    "physioline_guard_assessment()",
    "physioline_guard_call_attempt()",
    "physioline_guard_referral()",
    "physioline_refuse(text)",
    "physioline_audit_row_change()",
    "physioline_audit_append(timestamptz, integer, text, text, text, text, integer, json)",
    "physioline_audit_hash(timestamptz, integer, text, text, text, text, integer, json, text)",
    "physioline_canonical_json(json)",
    "physioline_my_user_id()",
    "physioline_in_any_group()",
    "physioline_in_group(text)",
)


def _groups(groups: Sequence[str]) -> str:
    return ", ".join(groups)


def upgrade() -> None:
    """Apply this revision (PostgreSQL only)."""
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite: one desk, no database roles; the services enforce the roles there.
    op.execute(CREATE_GROUPS)
    op.execute(FUNCTIONS)
    for signature in FUNCTION_SIGNATURES:
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    op.execute(
        "GRANT EXECUTE ON FUNCTION physioline_audit_append(timestamptz, integer, text, text, "
        f"text, text, integer, json) TO {_groups(GROUPS)}"
    )
    op.execute(f"GRANT USAGE ON SCHEMA public TO {_groups(GROUPS)}")
    for privilege, tables, groups in GRANTS:
        op.execute(f"GRANT {privilege} ON {', '.join(tables)} TO {_groups(groups)}")
    for tables, groups in SEQUENCES:
        for table in tables:
            op.execute(
                f"DO $$ BEGIN EXECUTE format('GRANT USAGE ON SEQUENCE %s TO {_groups(groups)}', "
                f"pg_get_serial_sequence('public.{table}', 'id')); END $$"
            )
    for table, function, events in GUARDS:
        op.execute(
            f"CREATE TRIGGER {function} "
            f"BEFORE {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    for table in AUDITED_TABLES:
        op.execute(
            f"CREATE CONSTRAINT TRIGGER physioline_audit_{table} "
            f"AFTER INSERT OR UPDATE OR DELETE ON {table} DEFERRABLE INITIALLY DEFERRED "
            "FOR EACH ROW EXECUTE FUNCTION physioline_audit_row_change()"
        )


def downgrade() -> None:
    """Revert this revision (PostgreSQL only).

    Revokes this database's grants and drops its triggers and functions. The group roles stay:
    roles belong to the whole cluster, and other databases on it (a training copy, the tests'
    databases) may still use them; IT drops them with DROP ROLE once no database needs them.
    """
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in AUDITED_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS physioline_audit_{table} ON {table}")
    for table, function, _events in GUARDS:
        op.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
    for signature in FUNCTION_SIGNATURES:
        op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    everything = _groups(GROUPS)
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {everything}")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {everything}")
    op.execute(f"REVOKE USAGE ON SCHEMA public FROM {everything}")
