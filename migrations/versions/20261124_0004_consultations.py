"""consultations: organisations, questionnaires, answers, events, sign-ups

Revision ID: 0004_consultations
Revises: 0003_budgeting
Create Date: 2026-11-24 20:39:37.979066

"""
from alembic import op
import sqlalchemy as sa

import app.core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0004_consultations'
down_revision = '0003_budgeting'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_organisations_organisation_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_organisations_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_organisations_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_organisations_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('municipality_id', 'name', name='uq_organisations_municipality_name')
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_status'), ['status'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title_lt', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_lt', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('starts_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('signup_deadline', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('selection', sa.String(length=20), nullable=False),
    sa.Column('cancelled_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('summary_lt', sa.Text(), nullable=True),
    sa.Column('summary_en', sa.Text(), nullable=True),
    sa.Column('summary_published_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attendance_marked_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('debate', 'focus_group', 'workshop')", name=op.f('ck_events_event_kind')),
    sa.CheckConstraint("selection IN ('automatic', 'organiser')", name=op.f('ck_events_event_selection')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_events_event_capacity_positive')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_event_ends_after_start')),
    sa.CheckConstraint('signup_deadline <= starts_at', name=op.f('ck_events_event_deadline_before_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_events_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_events_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_events_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_starts_at'), ['starts_at'], unique=False)

    op.create_table('organisation_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_organisation_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_organisation_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_invitations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_invitations'))
    )
    with op.batch_alter_table('organisation_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_invitations_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('organisation_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('organiser', 'member')", name=op.f('ck_organisation_members_organisation_member_role')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_members_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organisation_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_members')),
    sa.UniqueConstraint('organisation_id', 'user_id', name='uq_organisation_members_user')
    )
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_members_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_members_user_id'), ['user_id'], unique=False)

    op.create_table('questionnaires',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title_lt', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_lt', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('opens_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('live_results', sa.Boolean(), nullable=False),
    sa.Column('publish_free_text', sa.Boolean(), nullable=False),
    sa.Column('ranking_rule', sa.String(length=20), nullable=False),
    sa.Column('published_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("audience IN ('signed_in', 'residents')", name=op.f('ck_questionnaires_questionnaire_audience')),
    sa.CheckConstraint("ranking_rule IN ('borda', 'irv')", name=op.f('ck_questionnaires_questionnaire_ranking_rule')),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_questionnaires_questionnaire_dates_in_order')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_questionnaires_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_questionnaires_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_questionnaires_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaires'))
    )
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaires_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_questionnaires_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questionnaires_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('event_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_lt', sa.String(length=500), nullable=False),
    sa.Column('text_en', sa.String(length=500), nullable=False),
    sa.Column('options_lt', sa.Text(), nullable=False),
    sa.Column('options_en', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_questions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_questions'))
    )
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_questions_event_id'), ['event_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text_lt', sa.String(length=500), nullable=False),
    sa.Column('text_en', sa.String(length=500), nullable=False),
    sa.Column('help_lt', sa.String(length=1000), nullable=False),
    sa.Column('help_en', sa.String(length=1000), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('single', 'multiple', 'ranking', 'rating', 'short_text', 'long_text')", name=op.f('ck_questions_question_kind')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], name=op.f('fk_questions_questionnaire_id_questionnaires'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_questionnaire_id'), ['questionnaire_id'], unique=False)

    op.create_table('responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_responses_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaires.id'], name=op.f('fk_responses_questionnaire_id_questionnaires'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_responses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_responses')),
    sa.UniqueConstraint('questionnaire_id', 'user_id', name='uq_responses_once_per_person')
    )
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_responses_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_questionnaire_id'), ['questionnaire_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_responses_user_id'), ['user_id'], unique=False)

    op.create_table('signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('reminder_sent_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("status IN ('confirmed', 'waitlisted', 'applied', 'declined', 'cancelled')", name=op.f('ck_signups_signup_status')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_signups_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_signups_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signups_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signups')),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_signups_once_per_person')
    )
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signups_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_signups_event_status', ['event_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_signups_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signups_user_id'), ['user_id'], unique=False)

    op.create_table('question_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label_lt', sa.String(length=300), nullable=False),
    sa.Column('label_en', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_question_options_question_id_questions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question_options'))
    )
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_options_question_id'), ['question_id'], unique=False)

    op.create_table('answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['option_id'], ['question_options.id'], name=op.f('fk_answers_option_id_question_options'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_answers_question_id_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['responses.id'], name=op.f('fk_answers_response_id_responses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answers'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_question_option', ['question_id', 'option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answers_response_id'), ['response_id'], unique=False)



def downgrade():
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_response_id'))
        batch_op.drop_index('ix_answers_question_option')

    op.drop_table('answers')
    with op.batch_alter_table('question_options', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_options_question_id'))

    op.drop_table('question_options')
    with op.batch_alter_table('signups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signups_user_id'))
        batch_op.drop_index(batch_op.f('ix_signups_municipality_id'))
        batch_op.drop_index('ix_signups_event_status')
        batch_op.drop_index(batch_op.f('ix_signups_created_at'))

    op.drop_table('signups')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_responses_user_id'))
        batch_op.drop_index(batch_op.f('ix_responses_questionnaire_id'))
        batch_op.drop_index(batch_op.f('ix_responses_municipality_id'))

    op.drop_table('responses')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_questionnaire_id'))

    op.drop_table('questions')
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_questions_event_id'))

    op.drop_table('event_questions')
    with op.batch_alter_table('questionnaires', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaires_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_questionnaires_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_questionnaires_closes_at'))

    op.drop_table('questionnaires')
    with op.batch_alter_table('organisation_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_members_organisation_id'))

    op.drop_table('organisation_members')
    with op.batch_alter_table('organisation_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_invitations_organisation_id'))

    op.drop_table('organisation_invitations')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_starts_at'))
        batch_op.drop_index(batch_op.f('ix_events_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_events_municipality_id'))

    op.drop_table('events')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_status'))
        batch_op.drop_index(batch_op.f('ix_organisations_municipality_id'))

    op.drop_table('organisations')
