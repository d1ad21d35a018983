// HarpTestSupport — tolerance assertions, gradient checker, fixture loader, tiny-model factories.
