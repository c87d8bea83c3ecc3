"""Email sync: the mailbox feeds the store.

`callqueue.sync.mail` is the pure, server-free core: it turns what an IMAP
FETCH returns for one message (header bytes, the leading bytes of the first
text part or a server PREVIEW, INTERNALDATE) into a typed `ParsedMail`. It
imports only the standard library; charset-normalizer is imported the first
time a header needs its charset guessed.

This package imports nothing on purpose, so that importing one of its
modules never pulls in imapclient or the store.
"""
