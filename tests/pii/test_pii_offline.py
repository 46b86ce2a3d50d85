"""Import and first use never touch the network (no spaCy download, no suffix-list fetch)."""
from __future__ import annotations

import subprocess
import sys
import textwrap


def test_import_and_first_use_with_sockets_blocked(tmp_path):
    script = textwrap.dedent("""
        import socket
        attempts = []
        def refuse(*args, **kwargs):
            attempts.append(args)
            raise OSError("network disabled by test")
        socket.socket.connect = refuse
        socket.socket.connect_ex = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse

        import workbench.pii as pii
        from workbench.pii.engine import analyzer
        from workbench.config import load
        s = load(r"%s")
        assert pii.mask("mail alice@example.com", "pseudonymize", settings=s).counts
        assert pii.engine_info()["nlp_engine"] == "blank:en"
        engine = analyzer()                     # the full Presidio AnalyzerEngine, blank pipeline
        found = engine.analyze("mail bob@example.org", language="en")
        assert [r.entity_type for r in found] == ["EMAIL_ADDRESS"], found
        # Presidio's own e-mail recognizer (tldextract) must stay offline too
        from presidio_analyzer.predefined_recognizers import EmailRecognizer
        assert EmailRecognizer().analyze("x carol@example.com", ["EMAIL_ADDRESS"], None)
        assert not attempts, attempts
        print("OK")
    """) % tmp_path
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WORKBENCH_SPACY_MODEL": ""}
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert proc.returncode == 0 and "OK" in proc.stdout, proc.stderr[-2000:]
