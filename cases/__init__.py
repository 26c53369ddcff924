"""Cases (issue #10): users and roles, triage, the case workflow and its audit trail, notices, reports."""
