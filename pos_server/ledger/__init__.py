"""The bonus and money ledger: postings, holds, rules, overdrafts, the hold sweeper."""
