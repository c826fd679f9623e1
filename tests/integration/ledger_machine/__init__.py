"""The state machine of test_ledger_stateful, one part a module.

Each layer is a RuleBasedStateMachine built on the one before: `state` (the store and the
machine's copy of the applications), `replay` (the notification log replayed on its own),
`invariants`, `acts` (drawing an act and checking the ledger's answer). The `rules_*` modules
each add the rules of one stage of the procedure; the test module joins them into one machine.
"""
