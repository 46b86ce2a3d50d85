"""The e-mail channel: a plain-text and HTML message over SMTP (smtplib, optional STARTTLS)."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from .channels_config import EmailConfig
from .message import Message, html_body, text_body
from .retry import PermanentSend, TransientSend


def build(msg: Message) -> dict[str, Any]:
    """Return the content of the mail of a message: subject, text and html."""
    return {"subject": msg.subject(), "text": text_body(msg), "html": html_body(msg)}


def _email(doc: dict[str, Any], cfg: EmailConfig) -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = doc["subject"]
    mail["From"] = cfg.sender
    mail["To"] = ", ".join(cfg.to)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = make_msgid(domain="workbench.local")
    mail.set_content(doc["text"])
    mail.add_alternative(doc["html"], subtype="html")
    return mail


def send(doc: dict[str, Any], cfg: EmailConfig) -> None:
    """Return after one SMTP delivery of ``doc``; raise TransientSend/PermanentSend on failure."""
    mail = _email(doc, cfg)
    try:
        with smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_s) as smtp:
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if cfg.user:
                smtp.login(cfg.user, cfg.password.get_secret_value() if cfg.password else "")
            refused = smtp.send_message(mail)
    except smtplib.SMTPRecipientsRefused as exc:
        raise PermanentSend(f"SMTP refused all recipients ({len(exc.recipients)})") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise PermanentSend(f"SMTP authentication failed ({exc.smtp_code})") from None
    except smtplib.SMTPResponseException as exc:
        cls = TransientSend if 400 <= exc.smtp_code < 500 else PermanentSend
        raise cls(f"SMTP {exc.smtp_code}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise PermanentSend(f"SMTP: {exc}") from None
    except (smtplib.SMTPException, OSError) as exc:  # disconnects, refused connections, timeouts
        raise TransientSend(f"{type(exc).__name__}: {exc}") from None
    if refused:
        raise PermanentSend(f"SMTP refused {len(refused)} of {len(cfg.to)} recipient(s)")
