"""iopguide.cache.LastResult: a result comes back only for the inputs it was computed from."""

from iopguide.cache import LastResult


def test_result_comes_back_only_for_equal_inputs() -> None:
    cache: LastResult[str] = LastResult()
    assert cache.get("docs/faq.md", "text v1") is None
    assert cache.put("docs/faq.md", "text v1", "result 1") == "result 1"
    assert cache.get("docs/faq.md", "text v1") == "result 1"
    assert cache.get("docs/faq.md", "text v2") is None  # the page changed
    assert cache.get("docs/other.md", "text v1") is None  # another page


def test_a_new_result_replaces_the_last_one() -> None:
    cache: LastResult[str] = LastResult()
    cache.put("docs/faq.md", "text v1", "result 1")
    cache.put("docs/faq.md", "text v2", "result 2")
    assert cache.get("docs/faq.md", "text v1") is None
    assert cache.get("docs/faq.md", "text v2") == "result 2"
