from bpp.people.models import Role


def roles(request):
    """The current role and the others the user may switch to, for the header.

    `Role` itself too, so that templates compare with its members
    (`current_role == Role.AGENT`), never with the stored strings.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"Role": Role, "current_role": None, "current_role_label": "", "available_roles": []}
    role = request.role
    return {
        "Role": Role,
        "current_role": role,
        "current_role_label": user.role_title(role) if role else "",
        "available_roles": [(r, user.role_title(r)) for r in user.roles],
    }
