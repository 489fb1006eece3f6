"""
A plan written to the database set-based and in batches: services first, then the new
accounts, their profiles (managers resolved by e-mail, inside the file too), the updates,
the deactivations; the requests of the agents whose priority
grounds changed have their stored priority refreshed, and each change of manager is
recorded on the agent's account page, as when an administrator makes it.
"""

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from bpp.people.imports.planning import (
    PROFILE_FIELDS,
    QUERY_CHUNK,
    USER_FIELDS,
    Kind,
    Plan,
    Progress,
    Row,
)
from bpp.people.models import (
    PRIORITY_GROUNDS,
    AccountEvent,
    AgentProfile,
    Service,
    User,
    priority_grounds_changed,
)

BATCH = 2_000


def apply_plan(plan: Plan, *, by: User | None, progress: Progress | None = None) -> dict:
    """Write `plan`; return its counts. `progress(done, total)` is called after each batch.

    Each batch commits on its own, so that the progress can be read while it runs; should
    one fail, what was written is a state that running the same import again completes
    (the plan is made afresh, and the accounts already created are found by e-mail)."""
    creates = [row for row in plan.rows if row.kind == Kind.CREATE]
    updates = [row for row in plan.rows if row.kind == Kind.UPDATE]
    new_accounts = [row for row in creates if row.user_id is None]
    total = len(new_accounts) + len(plan.rows) + len(plan.deactivate)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    services = _services(plan)
    accounts = dict(plan.managers)
    accounts.update({row.email: row.user_id for row in plan.rows if row.user_id})
    for batch in _batches(new_accounts):
        _create_accounts(batch, accounts)
        advance(len(batch))
    for batch in _batches(creates):
        AgentProfile.objects.bulk_create(
            [_new_profile(plan, row, accounts, services) for row in batch]
        )
        advance(len(batch))
    user_fields = [name for name in USER_FIELDS if name in plan.mapped] + ["is_active"]
    profile_fields = [name for name in PROFILE_FIELDS if name in plan.mapped] + ["service"]
    if "manager_email" in plan.mapped:
        profile_fields.append("manager")
    for batch in _batches(updates):
        with transaction.atomic():
            # The accounts only where they change: a user row carries costly indexes.
            users = [_user(row) for row in batch if _account_changed(row)]
            if users:
                _bulk_set(User, users, user_fields)
            _bulk_set(
                AgentProfile,
                [_profile(plan, row, accounts, services) for row in batch],
                profile_fields,
            )
            _record_manager_changes(batch, accounts, by)
            regrounded = [row.existing["id"] for row in batch if _priority_grounds_changed(row)]
            if regrounded:
                priority_grounds_changed.send(AgentProfile, agents=regrounded)
        advance(len(batch))
    advance(len(plan.rows) - len(creates) - len(updates))  # unchanged or rejected
    for batch in _batches(plan.deactivate):
        User.objects.filter(pk__in=batch).update(is_active=False)
        advance(len(batch))
    return plan.counts


def _bulk_set(model, objs: list, fields: list[str]) -> None:
    """Write `fields` of `objs` in one UPDATE … FROM (VALUES …). Django's bulk_update
    builds a CASE per field with a branch per row, whose expressions cost seconds per
    thousand rows in Python alone; this is the same write, set-based."""
    if connection.vendor not in ("postgresql", "sqlite"):
        model.objects.bulk_update(objs, fields)
        return
    meta = model._meta
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    qn = connection.ops.quote_name
    params = [
        column.get_db_prep_save(getattr(obj, column.attname), connection)
        for obj in objs
        for column in columns
    ]
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    if connection.vendor == "postgresql":
        # Parameters in VALUES have no type of their own: each is cast to its column's.
        row = ", ".join(f"CAST(%s AS {column.db_type(connection)})" for column in columns)
        names = ", ".join(qn(column.column) for column in columns)
        sets = ", ".join(f"{qn(c.column)} = v.{qn(c.column)}" for c in columns[1:])
        sql = (
            f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([f'({row})'] * len(objs))}) "
            f"AS v({names}) WHERE {table}.{pk} = v.{pk}"
        )
    else:  # SQLite names the columns of VALUES column1, column2…
        row = ", ".join(["%s"] * len(columns))
        sets = ", ".join(f"{qn(c.column)} = v.column{i}" for i, c in enumerate(columns[1:], 2))
        sql = (
            f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([f'({row})'] * len(objs))}) "
            f"AS v WHERE {table}.{pk} = v.column1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _services(plan: Plan) -> dict[str, int]:
    Service.objects.bulk_create(
        [Service(organisation=plan.organisation, name=name) for name in plan.new_services]
    )
    return {
        name.casefold(): pk
        for pk, name in Service.objects.filter(organisation=plan.organisation).values_list(
            "pk", "name"
        )
    }


def _create_accounts(rows: list[Row], accounts: dict[str, int]) -> None:
    """Create the rows' accounts, without a usable password (they sign in through a reset
    link or their identity provider), and note their pks in `accounts`."""
    unusable = make_password(None)  # a random unusable hash: nobody signs in with it
    users = User.objects.bulk_create(
        [
            User(
                email=row.email,
                first_name=row.values["first_name"],
                last_name=row.values["last_name"],
                password=unusable,
            )
            for row in rows
        ]
    )
    for row, user in zip(rows, users, strict=True):
        row.user_id = accounts[row.email] = user.pk


def _manager_id(row: Row, accounts: dict[str, int]) -> int | None:
    email = row.values.get("manager_email")
    return accounts[email] if email else None


def _new_profile(plan, row: Row, accounts, services) -> AgentProfile:
    values = row.values
    return AgentProfile(
        user_id=row.user_id,
        organisation=plan.organisation,
        service_id=services[values["service"].casefold()],
        manager_id=_manager_id(row, accounts),
        **{name: values[name] for name in PROFILE_FIELDS if name in values},
    )


def _user(row: Row) -> User:
    return User(
        pk=row.user_id, is_active=True, **{n: row.values[n] for n in USER_FIELDS if n in row.values}
    )


def _profile(plan, row: Row, accounts, services) -> AgentProfile:
    profile = _new_profile(plan, row, accounts, services)
    profile.pk = row.existing["id"]
    return profile


def _record_manager_changes(rows: list[Row], accounts, by: User | None) -> None:
    changed = [row for row in rows if row.manager_changed]
    if not changed:
        return
    names = _names([_manager_id(row, accounts) for row in changed])
    AccountEvent.objects.bulk_create(
        AccountEvent(
            user_id=row.user_id,
            kind=AccountEvent.Kind.MANAGER_CHANGED,
            detail=names.get(_manager_id(row, accounts), "aucun"),
            by=by,
        )
        for row in changed
    )


def _names(pks: list[int | None]) -> dict[int, str]:
    wanted = sorted({pk for pk in pks if pk})
    found = {}
    for start in range(0, len(wanted), QUERY_CHUNK):
        for pk, first, last in User.objects.filter(
            pk__in=wanted[start : start + QUERY_CHUNK]
        ).values_list("pk", "first_name", "last_name"):
            found[pk] = f"{first} {last}".strip()
    return found


def _account_changed(row: Row) -> bool:
    """Whether the row changes the account itself: a name, or its reactivation."""
    return not row.existing["user__is_active"] or any(
        name in row.values and row.values[name] != row.existing[f"user__{name}"]
        for name in USER_FIELDS
    )


def _priority_grounds_changed(row: Row) -> bool:
    return any(
        name in row.values and row.values[name] != row.existing[name] for name in PRIORITY_GROUNDS
    )
