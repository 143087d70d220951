"""Every model, imported in one place for Alembic and the application factory."""
from app.accounts.models import Membership, User  # noqa: F401
from app.core.audit import AuditEvent  # noqa: F401
from app.core.mail_queue import QueuedMail  # noqa: F401
from app.municipalities.models import Municipality  # noqa: F401
from app.discussion.models import Comment, Flag  # noqa: F401
from app.initiatives.models import Category, Initiative, InitiativeVersion, Signature  # noqa: F401
from app.budgeting.models import (  # noqa: F401
    PBBallot, PBChoice, PBIdea, PBIdeaVersion, PBPot, PBProcess, PBResult, PBSupport, PBVoter,
)
from app.organisations.models import Organisation, OrganisationInvitation, OrganisationMember  # noqa: F401
from app.consultations.models import (  # noqa: F401
    Answer, Event, EventQuestion, Question, QuestionOption, Questionnaire, Response, SignUp,
)
