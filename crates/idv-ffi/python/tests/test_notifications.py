"""Notification parsing and verification through the binding."""

import base64

import pytest

import idv

TOKEN = "user:s3cret-notification-token"
BODY = b'{"session_id":"s1","topic":"SESSION_COMPLETION","extra":1}'


def basic(token):
    return [idv.Header(name="Authorization",
                       value="Basic " + base64.b64encode(token.encode()).decode())]


def test_a_notification_with_the_right_token_is_parsed():
    n = idv.verify_notification(basic(TOKEN), BODY, TOKEN, idv.NotificationAuthType.BASIC)
    assert (n.session_id, n.topic) == ("s1", "session_completion")
    assert '"extra":1' in n.extra_json


def test_a_wrong_token_is_401_and_the_message_has_no_token():
    with pytest.raises(idv.IdvError.Notification) as raised:
        idv.verify_notification(basic("user:wrong"), BODY, TOKEN, idv.NotificationAuthType.BASIC)
    assert raised.value.unauthorized and raised.value.status == 401
    assert "s3cret" not in str(raised.value) and "wrong" not in str(raised.value)


def test_a_missing_authorization_is_401():
    with pytest.raises(idv.IdvError.Notification) as raised:
        idv.verify_notification([], BODY, TOKEN, idv.NotificationAuthType.BEARER)
    assert raised.value.status == 401


def test_a_body_that_is_not_a_notification_is_400():
    with pytest.raises(idv.IdvError.Notification) as raised:
        idv.parse_notification(b'{"topic": "x"}')
    assert raised.value.status == 400 and not raised.value.unauthorized
    assert idv.parse_notification(BODY).topic == "session_completion"
