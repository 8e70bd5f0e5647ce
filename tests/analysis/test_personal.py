"""The personal-data classifier: identifiers with owners, and expressions in context."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from integrity_lint.analysis.imports import ImportTracker
from integrity_lint.analysis.personal import ExpressionClassifier, PersonalDataVisitor
from integrity_lint.analysis.vocabulary import KINDS, Vocabulary, split_words, vocabulary
from integrity_lint.resources import load_data


@pytest.fixture(scope="module")
def words() -> Vocabulary:
    return vocabulary()


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ("userEmailAddress", ["user", "email", "address"]),
        ("X-Forwarded-For", ["x", "forwarded", "for"]),
        ("IPAddress", ["ip", "address"]),
        ("address_line1", ["address", "line", "1"]),
        ("emails", ["email"]),
        ("addresses", ["address"]),
        ("allergies", ["allergy"]),
        ("gps", ["gps"]),
        ("status", ["status"]),
    ],
)
def test_split_words(identifier: str, expected: list[str]) -> None:
    assert split_words(identifier) == expected


@pytest.mark.parametrize(
    ("identifier", "owner", "type_id"),
    [
        ("email", None, "contact.email"),
        ("customer_email", None, "contact.email"),
        ("emailAddress", None, "contact.email"),
        ("emails", None, "contact.email"),
        ("phone_number", None, "contact.phone"),
        ("mobile", "user", "contact.phone"),
        ("shipping_address", None, "contact.address"),
        ("address", "Customer", "contact.address"),
        ("postcode", None, "contact.address"),
        ("first_name", None, "name.person"),
        ("customer_name", None, "name.person"),
        ("name", "user", "name.person"),
        ("name", "request.user", "name.person"),
        ("name", "User.objects.get", "name.person"),
        ("name", "user_data", "name.person"),
        ("full_name", "customer", "name.person"),
        ("username", None, "identifier.username"),
        ("user_name", None, "identifier.username"),
        ("user_id", None, "identifier.user_id"),
        ("distinctId", None, "identifier.user_id"),
        ("ssn", None, "government_id.ssn"),
        ("passport_number", None, "government_id.passport"),
        ("tax_id", None, "government_id.tax_id"),
        ("iban", None, "financial.account"),
        ("card_number", None, "financial.card"),
        ("latitude", None, "location.precise"),
        ("location", "user", "location.precise"),
        ("city", None, "location.coarse"),
        ("ip_address", None, "device.ip_address"),
        ("client_ip", None, "device.ip_address"),
        ("mac_address", None, "device.device_id"),
        ("advertising_id", None, "device.device_id"),
        ("password", None, "credential.password"),
        ("new_password", None, "credential.password"),
        ("access_token", None, "credential.session"),
        ("session_id", None, "credential.session"),
        ("diagnosis", None, "special.health"),
        ("religion", None, "special.beliefs"),
        ("ethnicity", None, "special.origin"),
        ("sexual_orientation", None, "special.sexuality"),
        ("political_opinion", None, "special.beliefs"),
        ("face_embedding", None, "special.biometric"),
        ("genome", None, "special.genetic"),
        ("date_of_birth", None, "demographic.birth_date"),
        ("dob", None, "demographic.birth_date"),
        ("age", "patient", "demographic.age"),
        ("gender", None, "demographic.gender"),
        ("message_body", None, "content.message"),
        ("search_query", None, "content.search"),
    ],
)
def test_classifies_personal_identifiers(
    words: Vocabulary, identifier: str, owner: str | None, type_id: str
) -> None:
    found = words.classify(identifier, owner)
    assert found is not None and found.id == type_id


@pytest.mark.parametrize(
    ("identifier", "owner"),
    [
        ("email_verified", None),
        ("is_email_verified", None),
        ("has_email", None),
        ("email_count", None),
        ("num_emails", None),
        ("max_name_length", None),
        ("email_len", None),
        ("email_template", None),
        ("hashed_email", None),
        ("email_hash", None),
        ("from_email", None),
        ("DEFAULT_FROM_EMAIL", None),
        ("EMAIL_HOST_USER", None),
        ("max_age", None),
        ("age", None),
        ("age", "cache"),
        ("name", None),
        ("name", "product"),
        ("name", "user_group"),
        ("name", "UserAgent"),
        ("product_name", None),
        ("file_name", None),
        ("hostname", None),
        ("address", None),
        ("server_address", None),
        ("bind_address", None),
        ("server_ip", None),
        ("token", None),
        ("pwd", None),
        ("password_reset_url", None),
        ("min_password_length", None),
        ("health_check", None),
        ("error_message", None),
        ("region", None),
        ("mobile", None),
        ("location", None),
        ("race", None),
        ("zip", None),
    ],
)
def test_near_misses_are_not_personal(
    words: Vocabulary, identifier: str, owner: str | None
) -> None:
    assert words.classify(identifier, owner) is None


def test_keys_may_be_upper_case(words: Vocabulary) -> None:
    assert words.classify("REMOTE_ADDR") is None  # a constant of the program
    found = words.classify("REMOTE_ADDR", key=True)
    assert found is not None and found.id == "device.ip_address"
    found = words.classify("HTTP_X_FORWARDED_FOR", key=True)
    assert found is not None and found.id == "device.ip_address"


def test_extra_and_not_personal_extend_the_vocabulary() -> None:
    custom = vocabulary(
        {"member_no": "identifier", "loyalty_card": "financial.card", "shoe_size": "body"},
        ["product_name", "email"],
    )
    member = custom.classify("member_no")
    assert member is not None and member.id == "identifier" and member.kind == "direct"
    card = custom.classify("loyalty_card")
    assert card is not None and card.id == "financial.card"
    shoe = custom.classify("customer_shoe_size")
    assert shoe is not None and shoe.id == "body"
    assert custom.classify("email") is None
    # `not-personal` covers the names it lists, not longer names that contain them.
    assert custom.classify("customer_email") is None
    first = custom.classify("first_name")
    assert first is not None and first.id == "name.person"
    assert vocabulary().classify("member_no") is None


def test_every_type_is_well_formed() -> None:
    data = load_data("personal-data.toml")
    ids = [item["id"] for item in data["type"]]
    assert len(ids) == len(set(ids))
    for item in data["type"]:
        assert item["kind"] in KINDS
        assert item["sensitivity"] in (
            "technical",
            "interaction",
            "stored_content",
            "highly_sensitive",
        )
        assert item["names"] or item.get("context-names")


# --- expressions -----------------------------------------------------------------------------


class _Collector(PersonalDataVisitor):
    """Judges every argument of ``sink(...)`` calls."""

    def __init__(self, imports: ImportTracker, sanitizers: tuple[str, ...]) -> None:
        super().__init__()
        self.classifier = ExpressionClassifier(vocabulary(), imports, sanitizers)
        self.found: list[str | None] = []

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "sink":
            for arg in node.args:
                verdict = self.classifier.personal(arg.value)
                self.found.append(verdict.type.id if verdict else None)


def judge(source: str, sanitizers: tuple[str, ...] = ()) -> list[str | None]:
    module = cst.parse_module(textwrap.dedent(source))
    imports = ImportTracker()
    imports.prescan(module)
    collector = _Collector(imports, sanitizers)
    cst.MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([imports, collector])
    return collector.found


@pytest.mark.parametrize(
    "expression",
    [
        "email",
        "user.email",
        "request.user.email",
        "customer.full_name",
        "user.name",
        'request.POST["email"]',
        'request.form.get("phone")',
        'request.META.get("HTTP_X_FORWARDED_FOR")',
        'f"welcome {user.email}"',
        '"%s logged in" % user.email',
        '"%(who)s" % {"who": user.email}',
        '"{} from {}".format(name, request.remote_addr)',
        '"user " + user.phone',
        "user.email.lower()",
        "str(user.phone)",
        "user.get_full_name()",
        "user.phone_number.as_e164",
        "(user.id, user.email)",
        '{"email": value}',
        "json.dumps({'ssn': record.ssn})",
        "email or 'unknown'",
        "user.email if user else None",
        "request.client.host",
        "order.card.number",
        "', '.join(u.email for u in users)",
        "[row['phone'] for row in rows]",
    ],
)
def test_personal_expressions(expression: str) -> None:
    assert judge(f"import json\nsink({expression})")[0] is not None


@pytest.mark.parametrize(
    "expression",
    [
        '"email sent"',
        "len(user.email)",
        "bool(email)",
        "user.email_verified",
        "user.email is None",
        "not user.email",
        "email.endswith('@example.org')",
        "user.email.count('@')",
        "product.name",
        "file.name",
        "name",
        "user.id",
        "user",
        "email_count",
        "hashlib.sha256(email.encode()).hexdigest()",
        "mask_email(user.email)",
        "redact(user.email)",
        '{"email": True}',
        '{"email_hash": digest}',
        "settings.DEFAULT_FROM_EMAIL",
        "user.age",  # quasi-identifiers are classified but not reported by default
        "user.city",
        "user.user_id",
        "email.message_from_string",
        "f'{count} emails sent'",
        "settings.server.host",
        "order.number",
        "[len(u.email) for u in users]",
    ],
)
def test_not_personal_expressions(expression: str) -> None:
    assert judge(f"import email, hashlib\nsink({expression})") == [None]


def test_owner_class_decides_self_attributes() -> None:
    found = judge(
        """
        class Customer(models.Model):
            def label(self):
                sink(self.name, self.address)

        class Account(AbstractUser):
            def label(self):
                sink(self.name)

        class Product(models.Model):
            def label(self):
                sink(self.name, self.address)
        """
    )
    assert found == ["name.person", "contact.address", "name.person", None, None]


def test_local_assignments_are_followed_inside_a_function() -> None:
    found = judge(
        """
        from myapp.privacy import redact

        def signup(user, form):
            e = user.email
            message = f"new signup {e}"
            message += f" from {form.cleaned_data['phone']}"
            email = redact(user.email)
            safe = redact(e)
            n = len(e)
            sink(e, message, email, safe, n)
            for address in user.shipping_addresses:
                sink(address)

        def other():
            sink(e, message)
        """,
        sanitizers=("myapp.privacy.redact",),
    )
    assert found == [
        "contact.email",
        "contact.email",
        None,
        None,
        None,
        "contact.address",
        None,
        None,
    ]


def test_configured_sanitizers_clean_values() -> None:
    source = """
        from myapp import privacy
        import myapp.privacy as p

        sink(privacy.scrub_value(user.email), p.scrub_value(user.email), scrub_value(user.phone))
        sink(tidy(user.email), user.email)
    """
    assert judge(source, sanitizers=("myapp.privacy.scrub_value",)) == [
        None,
        None,
        None,
        None,  # an unknown function's result is not judged
        "contact.email",
    ]
    assert judge(source)[0] is None  # "scrub" says what it does
