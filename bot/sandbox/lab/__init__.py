"""``!docker``'s engine side: a member's private Docker lab, driven with the docker CLI's own words.

The runner (or the in-process sandbox) parses the CLI grammar (:mod:`.grammar`), checks every flag against
the lab policy, and translates the command into Engine API calls on objects labelled with the lab's id and
named in its namespace, so that two members' ``web`` never meet. Like the rest of :mod:`bot.sandbox` it knows
no chat: it answers with the CLI's own text and exit code (:class:`.port.LabAnswer`) and refusal codes that
the chat side words.
"""
