"""budgeting

Revision ID: 0003_budgeting
Revises: 0002_initiatives
Create Date: 2026-11-24 20:11:23.629292

"""
from alembic import op
import sqlalchemy as sa

import app.core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0003_budgeting'
down_revision = '0002_initiatives'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pb_processes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title_lt', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('description_lt', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('ideas_open_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('review_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('voting_open_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('voting_close_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('min_age', sa.Integer(), nullable=True),
    sa.Column('ballot_type', sa.String(length=20), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), nullable=True),
    sa.Column('rule', sa.String(length=60), nullable=False),
    sa.Column('closed_early_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('results_published_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('max_choices IS NULL OR max_choices > 0', name=op.f('ck_pb_processes_max_choices_positive')),
    sa.CheckConstraint('min_age IS NULL OR min_age >= 0', name=op.f('ck_pb_processes_min_age_not_negative')),
    sa.CheckConstraint('points IS NULL OR points > 0', name=op.f('ck_pb_processes_points_positive')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_pb_processes_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_processes'))
    )
    with op.batch_alter_table('pb_processes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_processes_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('pb_pots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('name_lt', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('budget', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('budget > 0', name=op.f('ck_pb_pots_budget_positive')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_pb_pots_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['process_id'], ['pb_processes.id'], name=op.f('fk_pb_pots_process_id_pb_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_pots'))
    )
    with op.batch_alter_table('pb_pots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_pots_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_pots_process_id'), ['process_id'], unique=False)

    op.create_table('pb_ballots',
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('pot_id', sa.Integer(), nullable=False),
    sa.Column('voter_key', sa.String(length=64), nullable=True),
    sa.Column('receipt_code', sa.String(length=20), nullable=False),
    sa.Column('is_paper', sa.Boolean(), nullable=False),
    sa.Column('paper_serial', sa.String(length=40), nullable=True),
    sa.Column('cast_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(is_paper AND voter_key IS NULL) OR (NOT is_paper AND voter_key IS NOT NULL)', name=op.f('ck_pb_ballots_paper_or_keyed')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_pb_ballots_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['pot_id'], ['pb_pots.id'], name=op.f('fk_pb_ballots_pot_id_pb_pots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_ballots')),
    sa.UniqueConstraint('pot_id', 'paper_serial', name=op.f('uq_pb_ballots_pot_id_paper_serial')),
    sa.UniqueConstraint('pot_id', 'voter_key', name=op.f('uq_pb_ballots_pot_id_voter_key')),
    sa.UniqueConstraint('receipt_code', name=op.f('uq_pb_ballots_receipt_code'))
    )
    with op.batch_alter_table('pb_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_ballots_cast_at'), ['cast_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_ballots_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_ballots_pot_id'), ['pot_id'], unique=False)

    op.create_table('pb_ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('process_id', sa.Integer(), nullable=False),
    sa.Column('pot_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('estimated_cost', sa.Integer(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('review_reason', sa.Text(), nullable=True),
    sa.Column('final_cost', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('estimated_cost > 0', name=op.f('ck_pb_ideas_estimated_cost_positive')),
    sa.CheckConstraint('final_cost IS NULL OR final_cost > 0', name=op.f('ck_pb_ideas_final_cost_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_pb_ideas_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['pb_ideas.id'], name=op.f('fk_pb_ideas_merged_into_id_pb_ideas')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_pb_ideas_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['pot_id'], ['pb_pots.id'], name=op.f('fk_pb_ideas_pot_id_pb_pots')),
    sa.ForeignKeyConstraint(['process_id'], ['pb_processes.id'], name=op.f('fk_pb_ideas_process_id_pb_processes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_ideas'))
    )
    with op.batch_alter_table('pb_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_ideas_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_ideas_merged_into_id'), ['merged_into_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_ideas_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_ideas_pot_id'), ['pot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_ideas_process_id'), ['process_id'], unique=False)
        batch_op.create_index('ix_pb_ideas_process_status', ['process_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_ideas_status'), ['status'], unique=False)

    op.create_table('pb_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pot_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=60), nullable=False),
    sa.Column('official', sa.Boolean(), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('ballots', sa.Integer(), nullable=False),
    sa.Column('computed_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_pb_results_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['pot_id'], ['pb_pots.id'], name=op.f('fk_pb_results_pot_id_pb_pots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_results')),
    sa.UniqueConstraint('pot_id', 'rule', name=op.f('uq_pb_results_pot_id_rule'))
    )
    with op.batch_alter_table('pb_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_results_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_results_pot_id'), ['pot_id'], unique=False)

    op.create_table('pb_voters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pot_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_voted_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_voted_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_pb_voters_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['pot_id'], ['pb_pots.id'], name=op.f('fk_pb_voters_pot_id_pb_pots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pb_voters_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_voters')),
    sa.UniqueConstraint('pot_id', 'user_id', name=op.f('uq_pb_voters_pot_id_user_id'))
    )
    with op.batch_alter_table('pb_voters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_voters_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_voters_pot_id'), ['pot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_voters_user_id'), ['user_id'], unique=False)

    op.create_table('pb_ballot_choices',
    sa.Column('ballot_id', sa.BigInteger(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.CheckConstraint('value > 0', name=op.f('ck_pb_ballot_choices_value_positive')),
    sa.ForeignKeyConstraint(['ballot_id'], ['pb_ballots.id'], name=op.f('fk_pb_ballot_choices_ballot_id_pb_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['pb_ideas.id'], name=op.f('fk_pb_ballot_choices_project_id_pb_ideas')),
    sa.PrimaryKeyConstraint('ballot_id', 'project_id', name=op.f('pk_pb_ballot_choices'))
    )
    with op.batch_alter_table('pb_ballot_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_ballot_choices_project_id'), ['project_id'], unique=False)

    op.create_table('pb_idea_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('edited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_pb_idea_versions_edited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['pb_ideas.id'], name=op.f('fk_pb_idea_versions_idea_id_pb_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_idea_versions')),
    sa.UniqueConstraint('idea_id', 'version', name=op.f('uq_pb_idea_versions_idea_id_version'))
    )
    with op.batch_alter_table('pb_idea_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_idea_versions_idea_id'), ['idea_id'], unique=False)

    op.create_table('pb_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['pb_ideas.id'], name=op.f('fk_pb_supports_idea_id_pb_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pb_supports_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pb_supports')),
    sa.UniqueConstraint('idea_id', 'user_id', name=op.f('uq_pb_supports_idea_id_user_id'))
    )
    with op.batch_alter_table('pb_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pb_supports_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pb_supports_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('pb_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_supports_user_id'))
        batch_op.drop_index(batch_op.f('ix_pb_supports_idea_id'))

    op.drop_table('pb_supports')
    with op.batch_alter_table('pb_idea_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_idea_versions_idea_id'))

    op.drop_table('pb_idea_versions')
    with op.batch_alter_table('pb_ballot_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_ballot_choices_project_id'))

    op.drop_table('pb_ballot_choices')
    with op.batch_alter_table('pb_voters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_voters_user_id'))
        batch_op.drop_index(batch_op.f('ix_pb_voters_pot_id'))
        batch_op.drop_index(batch_op.f('ix_pb_voters_municipality_id'))

    op.drop_table('pb_voters')
    with op.batch_alter_table('pb_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_results_pot_id'))
        batch_op.drop_index(batch_op.f('ix_pb_results_municipality_id'))

    op.drop_table('pb_results')
    with op.batch_alter_table('pb_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_ideas_status'))
        batch_op.drop_index('ix_pb_ideas_process_status')
        batch_op.drop_index(batch_op.f('ix_pb_ideas_process_id'))
        batch_op.drop_index(batch_op.f('ix_pb_ideas_pot_id'))
        batch_op.drop_index(batch_op.f('ix_pb_ideas_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_pb_ideas_merged_into_id'))
        batch_op.drop_index(batch_op.f('ix_pb_ideas_author_id'))

    op.drop_table('pb_ideas')
    with op.batch_alter_table('pb_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_ballots_pot_id'))
        batch_op.drop_index(batch_op.f('ix_pb_ballots_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_pb_ballots_cast_at'))

    op.drop_table('pb_ballots')
    with op.batch_alter_table('pb_pots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_pots_process_id'))
        batch_op.drop_index(batch_op.f('ix_pb_pots_municipality_id'))

    op.drop_table('pb_pots')
    with op.batch_alter_table('pb_processes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pb_processes_municipality_id'))

    op.drop_table('pb_processes')
