"""Syncing the rep's store with the outside: the mailbox (`mailsync`), the link tracker
(`tracking`), the outbox; one module per source, one public entry each, run in turn by
`callqueue sync` (`sources`).

`callqueue.sync.mail` is the pure, server-free core of mail sync: it turns what an IMAP
FETCH returns for one message into a typed `ParsedMail`.

This package imports nothing on purpose, so that importing one of its modules never
pulls in imapclient, httpx or the store.
"""
