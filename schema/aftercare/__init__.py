"""After-care over GraphQL: follow-up tasks, complications, the survey, warranties."""
