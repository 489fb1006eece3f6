"""
Render time of a typical signed synthesis as a PDF: the first render of the process
(fonts loaded, stylesheets parsed) and the median and 90th percentile of the next ones.

    .venv/bin/python bench/synthesis_pdf.py

It builds a throwaway test database (any DATABASE_URL works). Target: a typical
synthesis well under a second once the process is warm.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bpp.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RUNS = 20


def main() -> None:
    from synthesis.document import build
    from synthesis.pdf import synthesis_pdf
    from tests.synthesis.factories import SynthesisFactory

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        synthesis = SynthesisFactory(signed=True)
        version = synthesis.current()
        signatures = list(version.signatures.select_related("signer"))

        def render() -> tuple[float, int]:
            start = time.perf_counter()
            document = build(
                synthesis, version, header={}, with_personal_situation=True, signatures=signatures
            )
            size = len(synthesis_pdf(document))
            return (time.perf_counter() - start) * 1000, size

        cold, size = render()
        warm = [render()[0] for _ in range(RUNS)]
        median = statistics.median(warm)
        p90 = statistics.quantiles(warm, n=10, method="inclusive")[-1]
        print(f"PDF de {size // 1024} Kio, {RUNS} rendus")
        print(f"premier rendu (à froid) : {cold:.0f} ms")
        print(f"rendus suivants : médiane {median:.0f} ms, p90 {p90:.0f} ms")
        print(f"rapport froid / médiane : ×{cold / median:.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
