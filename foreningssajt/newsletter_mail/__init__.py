"""The newsletter's email edition, made from the same Markdown as the web edition.

Not a Pelican plugin (no register()): foreningssajt/cli/newsletter.py uses it. The email is never
written into output/; it goes to newsletter-out/ and, on request, over SMTP.

source   finds and reads the newsletter with Pelican's readers (strict headers, typography)
links    makes every link absolute and turns public images into inline (cid:) attachments
urls     where the web edition lives in the members' area
events   the coming events from the calendar, for the email
render   the email template; inline: CSS into style attributes; plaintext: the text part
message  the multipart email; send: SMTP delivery, one message per recipient
"""
