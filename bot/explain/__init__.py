"""What ``!explain`` answers with, beyond one search: the group's learned picks, the study notes,
Docker's reference as a second source, one-click suggestions when unsure, and the list of
questions the notes do not answer yet (gaps). Knows no chat platform; imports the notes index,
the reference index and storage only.
"""
