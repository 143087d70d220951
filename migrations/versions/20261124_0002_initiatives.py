"""initiatives and discussion: categories, initiatives, versions, signatures, comments, flags

Revision ID: 0002_initiatives
Revises: 0001_foundation
Create Date: 2026-11-24 20:02:06.096040

"""
from alembic import op
import sqlalchemy as sa

import app.core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0002_initiatives'
down_revision = '0001_foundation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_lt', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_categories_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hidden_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_comments_hidden_by_id_users')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_comments_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['parent_id'], ['comments.id'], name=op.f('fk_comments_parent_id_comments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_comments_target', ['target_type', 'target_id', 'created_at'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=40), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.String(length=20), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_flags_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_flags_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('target_type', 'target_id', 'user_id', name='uq_flags_target_user')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flags_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index('ix_flags_open', ['municipality_id', 'resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_flags_user_id'), ['user_id'], unique=False)

    op.create_table('initiatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=600), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('links', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('signature_count', sa.Integer(), nullable=False),
    sa.Column('required_signatures', sa.Integer(), nullable=True),
    sa.Column('signature_deadline', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('threshold_reached_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('moderator_message', sa.Text(), nullable=True),
    sa.Column('rejection_reason', sa.Text(), nullable=True),
    sa.Column('response_decision', sa.String(length=30), nullable=True),
    sa.Column('response_text', sa.Text(), nullable=True),
    sa.Column('responder_id', sa.Integer(), nullable=True),
    sa.Column('hidden_at', app.core.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('signature_count >= 0', name=op.f('ck_initiatives_signature_count_not_negative')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_initiatives_author_id_users')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_initiatives_category_id_categories')),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['users.id'], name=op.f('fk_initiatives_hidden_by_id_users')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_initiatives_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['responder_id'], ['users.id'], name=op.f('fk_initiatives_responder_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiatives'))
    )
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiatives_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_initiatives_list', ['municipality_id', 'status', 'published_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index('ix_initiatives_signed', ['municipality_id', 'signature_count'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiatives_status'), ['status'], unique=False)

    op.create_table('initiative_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=600), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=True),
    sa.Column('links', sa.Text(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_initiative_versions_author_id_users')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_initiative_versions_category_id_categories')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_initiative_versions_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_initiative_versions_municipality_id_municipalities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_versions')),
    sa.UniqueConstraint('initiative_id', 'number', name='uq_initiative_versions_number')
    )
    with op.batch_alter_table('initiative_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_versions_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_versions_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('created_at', app.core.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_signatures_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_signatures_municipality_id_municipalities')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_signatures_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatures')),
    sa.UniqueConstraint('initiative_id', 'user_id', name='uq_signatures_initiative_user')
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatures_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_signatures_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signatures_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatures_user_id'))
        batch_op.drop_index(batch_op.f('ix_signatures_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_signatures_created_at'))

    op.drop_table('signatures')
    with op.batch_alter_table('initiative_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_versions_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_versions_initiative_id'))

    op.drop_table('initiative_versions')
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiatives_status'))
        batch_op.drop_index('ix_initiatives_signed')
        batch_op.drop_index(batch_op.f('ix_initiatives_municipality_id'))
        batch_op.drop_index('ix_initiatives_list')
        batch_op.drop_index(batch_op.f('ix_initiatives_category_id'))
        batch_op.drop_index(batch_op.f('ix_initiatives_author_id'))

    op.drop_table('initiatives')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flags_user_id'))
        batch_op.drop_index('ix_flags_open')
        batch_op.drop_index(batch_op.f('ix_flags_municipality_id'))

    op.drop_table('flags')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_target')
        batch_op.drop_index(batch_op.f('ix_comments_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_municipality_id'))

    op.drop_table('categories')
