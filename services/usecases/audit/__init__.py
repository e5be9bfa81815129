"""The tamper-evident audit log: an RFC 6962 Merkle tree over every stored event, signed
checkpoints, proofs an inspector can check offline, and the audit of personal-data reads."""
