# The two set-up-and-go commands: `make demo` and `make test`. Both install the Debian
# packages they need when missing (apt-get; run as root or with sudo available).
DEBS := pkg-config liblua5.4-dev lua-cjson-dev redis-server redis-tools
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps demo test test-tsan test-examples docs bench anchors async-view doc-snippets

deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# A tour of the library through the `luastore` tool: commands as redis-cli prints them,
# a Lua script, and a short in-process benchmark.
demo: deps
	swift build -c release --product luastore
	@bash Examples/demo.sh "$$(swift build -c release --show-bin-path)/luastore"

# Unit, family, differential (against a real redis-server) and stress tests on the build
# users ship (optimized; `-enable-testing` only opens internal names to the tests), then on
# the debug build (its assertions check invariants), then the stress tests under Thread
# Sanitizer, then the examples' tests, then the DocC build (no warnings allowed).
test: deps
	swift test -c release -Xswiftc -enable-testing
	swift test
	$(MAKE) test-tsan
	$(MAKE) test-examples
	$(MAKE) docs

test-tsan: deps
	swift test --sanitize=thread --scratch-path .build-tsan --filter "Stress|Concurrency|GetOrSet|ManualClock|ActiveExpiry"

# The example programs' tests (Examples/ is its own package: the cache server needs
# Hummingbird, which the library does not).
test-examples: deps
	cd Examples && swift test

# The DocC documentation of the library (Sources/LuaStore/LuaStore.docc and the doc
# comments), with swiftlang/swift-docc-plugin, which Package.swift adds only when
# LUASTORE_DOCS is set; any DocC warning fails. Output: .build-docs/plugins/Swift-DocC/outputs.
docs: deps
	LUASTORE_DOCS=1 swift package --scratch-path .build-docs generate-documentation --target LuaStore --warnings-as-errors

# Benchmarks (ordo-one/benchmark) in their own package.
bench: deps
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark

# This machine's reference figures for the seed script (C+Lua ceiling, redis-server).
anchors: deps
	bash Benchmarks/reference/anchors.sh

# Regenerates the async view's typed commands (Sources/LuaStore/API/AsyncStore+Commands.swift)
# from KeyValueCommands after a typed command changed; AsyncViewTests fails until it is run.
async-view:
	python3 Scripts/generate-async-view.py

doc-snippets:
	python3 Scripts/extract-doc-snippets.py
