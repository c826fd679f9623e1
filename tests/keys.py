"""The identity key the tests run with: fixed, so that a seed gives the same identifiers.

Never a deployment's key: a deployment sets KEZEK_IDENTITY_KEY from its own secret store, and
`make run` generates one for its SQLite demo file (config.settings).
"""

# "kezek-test-identity-key-only-test" as hex
IDENTITY_KEY_HEX = "6b657a656b2d746573742d6964656e746974792d6b65792d6f6e6c792d74657374"
