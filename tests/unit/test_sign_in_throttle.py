from service.users.throttle import SignInThrottle


def test_too_many_failures_block_for_a_while_then_clear() -> None:
    now = [0.0]
    throttle = SignInThrottle(max_failures=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert not throttle.blocked("email:kim", "client:1")
        throttle.failed("email:kim", "client:1")
    assert throttle.blocked("email:kim") and throttle.blocked("email:other", "client:1")
    assert not throttle.blocked("email:other", "client:2")
    now[0] = 61
    assert not throttle.blocked("email:kim", "client:1")


def test_a_success_forgets_the_failures_of_that_email() -> None:
    throttle = SignInThrottle(max_failures=2, window=60, clock=lambda: 0.0)
    throttle.failed("email:kim")
    throttle.succeeded("email:kim")
    throttle.failed("email:kim")
    assert not throttle.blocked("email:kim")
