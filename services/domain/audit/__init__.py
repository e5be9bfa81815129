"""The audit log's mathematics: RFC 6962 Merkle trees, proofs and their offline check."""
