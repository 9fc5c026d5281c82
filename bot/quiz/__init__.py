"""Quizzes: question banks, generated questions, rounds, scoring, schedules, stats and review."""
