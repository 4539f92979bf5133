"""The small corpus the served-app tests import: two wires and one hostile article."""

from tests.conftest import record

RECORDS = [record(n, title=f"美联储第{n}次会议 Fed meeting {n}", pub_date=1738917470 + n, source=f"wire_{n % 2}")
           for n in range(23)]  # fmt: skip
RECORDS.append(record(100, title="<script>window.pwned=1</script>苹果 Apple (AAPL) 财报",  # noqa: E501
                      description='<p>苹果公司<script>window.pwned=1</script><img src=x onerror="window.pwned=1"></p>',
                      source="wire_x", pub_date=1738917000))  # fmt: skip
