"""The complaint register: taking a client's complaint, answering and resolving it, the
supervisors' list of those still open (`domain.complaints.rules`)."""
