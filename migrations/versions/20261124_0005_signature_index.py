"""index signatures by municipality and date

Revision ID: 0005_signature_index
Revises: 0004_consultations
Create Date: 2026-11-24 21:40:06.081028

"""
from alembic import op
import sqlalchemy as sa

import app.core.models  # noqa: F401  (custom column types such as UTCDateTime)


# revision identifiers, used by Alembic.
revision = '0005_signature_index'
down_revision = '0004_consultations'
branch_labels = None
depends_on = None


def upgrade():

    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index('ix_signatures_municipality_created', ['municipality_id', 'created_at'], unique=False)




def downgrade():

    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_municipality_created')


