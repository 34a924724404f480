"""Keys, signed control messages, signed code and snapshots: nothing runs without the cluster's keys."""
