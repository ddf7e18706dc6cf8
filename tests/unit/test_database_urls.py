from sqlalchemy.engine import make_url

from core.database import libpq_url, sqlalchemy_url


def test_urls_are_converted_for_each_client() -> None:
    url = "postgresql://postgres@127.0.0.1:5432/test"
    assert sqlalchemy_url(url) == "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert libpq_url(sqlalchemy_url(url)) == url
    socket = "postgresql://postgres:@/rapport?host=/tmp/pg/data"
    assert sqlalchemy_url(socket).startswith("postgresql+psycopg://postgres")
    assert make_url(sqlalchemy_url(socket)).query["host"] == "/tmp/pg/data"
