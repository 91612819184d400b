"""Officers' sign-ins in tests: a real Cognito ID token from the deployed pool."""

from phananh_local.identities import id_token_for


def bearer(officer_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {id_token_for(officer_id)}"}
