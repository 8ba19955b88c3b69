"""A team on one PostgreSQL workspace: who is on it, who is on each review, and what
the database lets each of them do.

``team`` lists the database roles that may use the workspace (one per hub user)
with their team role (lead, reviewer or observer); ``review_members`` lists the
members of each review with their role on it. Both tables exist on SQLite too,
where nothing enforces them (one person, one laptop).

On PostgreSQL this revision also installs the checks that the database itself
enforces for team members (the workspace's owner, who runs migrations and
``vlr team``, is not a team member and keeps full access):

- row-level security on ``reviews``, ``records``, ``history`` and
  ``review_members``: a member sees only the reviews they belong to (a team lead
  sees every review), writes only to reviews where they are lead or reviewer,
  observers only read, and only a review's lead sets final ratings, changes the
  review (status, reviewers, settings) or its members;
- triggers that refuse the same writes with a message naming the role needed,
  and that overwrite the name recorded with each change (``history.who``,
  ``records.updated_by``, ``reviews.created_by``/``updated_by``) with the
  database user (``current_user``), so no client can write as someone else.

The policies are the guarantee; the triggers give the message. Both run for any
client, including raw SQL. Which tables a role may touch at all (SELECT only for
an observer) is granted by ``vlr team add``, because granting needs roles that
exist.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-13
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)
_NAME = sa.String(200)
# PostgreSQL role names are at most 63 bytes.
_ROLE_NAME = sa.String(63)
_ROLE = sa.String(20)


def upgrade() -> None:
    op.create_table(
        "team",
        sa.Column("name", _ROLE_NAME, primary_key=True),
        sa.Column("role", _ROLE, nullable=False),
        sa.Column("display_name", _NAME, nullable=True),
        sa.Column("active", sa.Boolean(name="ck_team_active"), nullable=False),
        sa.Column("added_at", _WHEN, nullable=False),
        sa.Column("added_by", _NAME, nullable=False),
        sa.CheckConstraint("role IN ('lead', 'reviewer', 'observer')", name="ck_team_role"),
    )
    op.create_table(
        "review_members",
        sa.Column(
            "review_id",
            sa.String(64),
            sa.ForeignKey("reviews.id", name="fk_review_members_review"),
            primary_key=True,
        ),
        sa.Column(
            "name",
            _ROLE_NAME,
            sa.ForeignKey("team.name", name="fk_review_members_team"),
            primary_key=True,
        ),
        sa.Column("role", _ROLE, nullable=False),
        sa.Column("added_at", _WHEN, nullable=False),
        sa.Column("added_by", _NAME, nullable=False),
        sa.CheckConstraint(
            "role IN ('lead', 'reviewer', 'observer')", name="ck_review_members_role"
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in _postgres_statements(op.get_bind()):
            op.execute(statement)


def _postgres_statements(bind: sa.Connection) -> list[str]:
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
    # SECURITY DEFINER functions run with a fixed search path: the workspace's
    # schema, then pg_temp (so no one can shadow a table with a temporary one).
    path = f'SET search_path = "{schema}", pg_temp'
    lookups = [
        # The team role of a database user, or NULL for someone not on the team
        # (the workspace owner among them). They read the tables as their owner,
        # so the policies below can use them without recursing into themselves.
        f"""
        CREATE FUNCTION vlr_team_role(who text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
          SELECT role FROM team WHERE name = who AND active
        $$
        """,
        f"""
        CREATE FUNCTION vlr_review_role(rid text, who text) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$
          SELECT m.role FROM review_members m JOIN team t ON t.name = m.name
           WHERE m.review_id = rid AND m.name = who AND t.active
        $$
        """,
        # May ``who`` save item kind/key in review rid? Reviewers and the lead
        # write; only the lead sets final ratings; a rating is always one's own
        # (its key is "<criterion>/<reviewer>").
        """
        CREATE FUNCTION vlr_may_write(rid text, kind text, key text, who text) RETURNS boolean
        LANGUAGE sql STABLE AS $$
          SELECT CASE vlr_review_role(rid, who)
                   WHEN 'lead' THEN true
                   WHEN 'reviewer' THEN kind NOT IN ('final_rating', 'review')
                   ELSE false
                 END
             AND (kind <> 'rating' OR split_part(key, '/', 2) = who)
        $$
        """,
    ]
    guards = [
        # -- reviews: a team lead starts one (and becomes its lead); only the
        # review's lead changes it.
        """
        CREATE FUNCTION vlr_guard_reviews() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          me text := current_user;
          mine text := vlr_team_role(current_user);
        BEGIN
          IF mine IS NULL THEN
            RETURN NEW;
          END IF;
          IF TG_OP = 'INSERT' THEN
            IF mine <> 'lead' THEN
              RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
                'vlr: starting a review needs the team role lead; %s has the team role %s',
                me, mine);
            END IF;
            NEW.created_by := me;
          ELSE
            mine := vlr_review_role(OLD.id, me);
            IF mine IS DISTINCT FROM 'lead' THEN
              RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
                'vlr: only the lead of review %s changes its status, reviewers or settings; '
                '%s is %s (role needed: lead)', OLD.id, me, coalesce(mine, 'not a member'));
            END IF;
            IF NEW.id <> OLD.id THEN
              RAISE EXCEPTION USING ERRCODE = '42501',
                MESSAGE = 'vlr: a review id cannot be changed';
            END IF;
            NEW.created_by := OLD.created_by;
            NEW.created_at := OLD.created_at;
          END IF;
          NEW.updated_by := me;
          RETURN NEW;
        END
        $$
        """,
        # The team lead who starts a review is its lead member (run as the
        # owner: the new review has no members yet who could add one).
        f"""
        CREATE FUNCTION vlr_review_started() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER {path} AS $$
        BEGIN
          IF vlr_team_role(NEW.created_by) = 'lead' THEN
            INSERT INTO review_members (review_id, name, role, added_at, added_by)
            VALUES (NEW.id, NEW.created_by, 'lead', NEW.created_at, NEW.created_by)
            ON CONFLICT DO NOTHING;
          END IF;
          RETURN NULL;
        END
        $$
        """,
        # -- records: members who are lead or reviewer; final ratings: lead;
        # ratings: one's own.
        """
        CREATE FUNCTION vlr_guard_records() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          me text := current_user;
          mine text;
        BEGIN
          IF vlr_team_role(me) IS NULL THEN
            RETURN NEW;
          END IF;
          IF TG_OP = 'UPDATE' AND (NEW.review_id, NEW.kind, NEW.key)
                                IS DISTINCT FROM (OLD.review_id, OLD.kind, OLD.key) THEN
            RAISE EXCEPTION USING ERRCODE = '42501',
              MESSAGE = 'vlr: an item cannot be moved to another review, kind or key';
          END IF;
          mine := vlr_review_role(NEW.review_id, me);
          IF mine IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: %s is not a member of review %s; saving to it needs the role reviewer or '
              'lead on that review (its lead adds members: vlr team add-member %s %s '
              '--role reviewer)', me, NEW.review_id, NEW.review_id, me);
          ELSIF mine = 'observer' THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: %s is an observer of review %s and may only read it; saving %s items needs '
              'the role reviewer or lead on the review', me, NEW.review_id, NEW.kind);
          ELSIF NEW.kind = 'final_rating' AND mine <> 'lead' THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: only the lead of review %s sets final ratings; %s is %s on it '
              '(role needed: lead)', NEW.review_id, me, mine);
          ELSIF NEW.kind = 'rating' AND (split_part(NEW.key, '/', 2) <> me
                OR coalesce(NEW.data ->> 'reviewer', me) <> me) THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: %s may save only their own ratings (key <criterion>/%s), not %s',
              me, me, NEW.key);
          END IF;
          NEW.updated_by := me;
          RETURN NEW;
        END
        $$
        """,
        # -- history: written by members who may write; the name is the
        # database user's, whatever the client sent.
        """
        CREATE FUNCTION vlr_guard_history() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          me text := current_user;
          mine text;
        BEGIN
          IF vlr_team_role(me) IS NULL THEN
            RETURN NEW;
          END IF;
          mine := vlr_review_role(NEW.review_id, me);
          IF mine IS NULL OR mine = 'observer' THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: %s is %s of review %s; recording changes to it needs the role reviewer '
              'or lead on the review', me,
              CASE WHEN mine IS NULL THEN 'not a member' ELSE 'an observer' END, NEW.review_id);
          ELSIF NEW.action = 'import' THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: importing a review bundle into a team workspace is the workspace owner''s '
              'job (run vlr workspace import with the owner''s database URL); %s is a team '
              'member', me);
          ELSIF NEW.kind = 'review' AND mine <> 'lead' THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: only the lead of review %s changes the review itself; %s is %s on it '
              '(role needed: lead)', NEW.review_id, me, mine);
          END IF;
          NEW.who := me;
          RETURN NEW;
        END
        $$
        """,
        # -- review members: the review's lead adds, changes and removes them;
        # nobody is more on a review than on the team.
        """
        CREATE FUNCTION vlr_guard_members() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          me text := current_user;
          rid text := CASE WHEN TG_OP = 'DELETE' THEN OLD.review_id ELSE NEW.review_id END;
          mine text;
          theirs text;
        BEGIN
          IF vlr_team_role(me) IS NOT NULL THEN
            mine := vlr_review_role(rid, me);
            IF mine IS DISTINCT FROM 'lead' THEN
              RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
                'vlr: only the lead of review %s adds, changes or removes its members; %s is '
                '%s (role needed: lead)', rid, me, coalesce(mine, 'not a member'));
            END IF;
          END IF;
          IF TG_OP = 'DELETE' THEN
            RETURN OLD;
          END IF;
          theirs := vlr_team_role(NEW.name);
          IF theirs IS NULL THEN
            RAISE EXCEPTION USING ERRCODE = '23503', MESSAGE = format(
              'vlr: %s is not on the team of this workspace (or is disabled); the workspace '
              'owner adds them first: scripts/hub add-user %s --role reviewer', NEW.name, NEW.name);
          END IF;
          IF (theirs = 'observer' AND NEW.role <> 'observer')
             OR (theirs = 'reviewer' AND NEW.role = 'lead') THEN
            RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
              'vlr: %s has the team role %s, so cannot be %s on a review (allowed: %s)',
              NEW.name, theirs, NEW.role,
              CASE theirs WHEN 'observer' THEN 'observer' ELSE 'reviewer, observer' END);
          END IF;
          NEW.added_by := CASE WHEN vlr_team_role(me) IS NULL THEN NEW.added_by ELSE me END;
          RETURN NEW;
        END
        $$
        """,
    ]
    triggers = [
        "CREATE TRIGGER reviews_guard BEFORE INSERT OR UPDATE ON reviews "
        "FOR EACH ROW EXECUTE FUNCTION vlr_guard_reviews()",
        "CREATE TRIGGER reviews_started AFTER INSERT ON reviews "
        "FOR EACH ROW EXECUTE FUNCTION vlr_review_started()",
        "CREATE TRIGGER records_guard BEFORE INSERT OR UPDATE ON records "
        "FOR EACH ROW EXECUTE FUNCTION vlr_guard_records()",
        # Named so it runs after history_append_only (triggers fire by name).
        "CREATE TRIGGER history_who BEFORE INSERT ON history "
        "FOR EACH ROW EXECUTE FUNCTION vlr_guard_history()",
        "CREATE TRIGGER review_members_guard BEFORE INSERT OR UPDATE OR DELETE ON review_members "
        "FOR EACH ROW EXECUTE FUNCTION vlr_guard_members()",
    ]
    member = "vlr_review_role({column}, current_user) IS NOT NULL"
    # For reading many rows: one lookup of the user's reviews per query (a
    # function call per row costs twice the read time of 2,000 records).
    my_reviews = (
        "review_id IN (SELECT m.review_id FROM review_members m JOIN team t ON t.name = m.name "
        "WHERE m.name = current_user AND t.active)"
    )
    lead_of = "vlr_review_role({column}, current_user) = 'lead'"
    team_lead = "vlr_team_role(current_user) = 'lead'"
    policies = [
        # The owner of the tables (the workspace owner) is not subject to these.
        "ALTER TABLE reviews ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE records ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE history ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE review_members ENABLE ROW LEVEL SECURITY",
        f"CREATE POLICY read_own_reviews ON reviews FOR SELECT "
        f"USING ({member.format(column='id')} OR {team_lead})",
        f"CREATE POLICY team_lead_starts ON reviews FOR INSERT WITH CHECK ({team_lead})",
        f"CREATE POLICY lead_changes ON reviews FOR UPDATE "
        f"USING ({member.format(column='id')} OR {team_lead}) "
        f"WITH CHECK ({lead_of.format(column='id')} AND updated_by = current_user)",
        f"CREATE POLICY read_members_items ON records FOR SELECT USING ({my_reviews})",
        "CREATE POLICY write_allowed_items ON records FOR INSERT "
        "WITH CHECK (vlr_may_write(review_id, kind, key, current_user) "
        "AND updated_by = current_user)",
        # USING lets a member reach the row, so a refused change fails loudly
        # (WITH CHECK) instead of silently changing nothing.
        f"CREATE POLICY change_allowed_items ON records FOR UPDATE "
        f"USING ({member.format(column='review_id')}) "
        f"WITH CHECK (vlr_may_write(review_id, kind, key, current_user) "
        f"AND updated_by = current_user)",
        f"CREATE POLICY read_members_history ON history FOR SELECT USING ({my_reviews})",
        "CREATE POLICY record_own_changes ON history FOR INSERT "
        "WITH CHECK (who = current_user AND action <> 'import' "
        "AND vlr_may_write(review_id, kind, key, current_user))",
        f"CREATE POLICY read_members ON review_members FOR SELECT "
        f"USING ({member.format(column='review_id')} OR {team_lead})",
        f"CREATE POLICY lead_adds_members ON review_members FOR INSERT "
        f"WITH CHECK ({lead_of.format(column='review_id')})",
        f"CREATE POLICY lead_changes_members ON review_members FOR UPDATE "
        f"USING ({lead_of.format(column='review_id')}) "
        f"WITH CHECK ({lead_of.format(column='review_id')})",
        f"CREATE POLICY lead_removes_members ON review_members FOR DELETE "
        f"USING ({lead_of.format(column='review_id')})",
    ]
    return lookups + guards + triggers + policies


def downgrade() -> None:
    raise RuntimeError("the team tables and their access rules cannot be downgraded away")
