"""Reads a compliance export with Python's standard library only, as an
independent check of the archive the server wrote.

usage: export_check.py ARCHIVE.zip
prints one JSON object: the CSV rows, the parsed e-mails and the Actiance
XML structure found in the archive.
"""
import csv
import email
import email.policy
import io
import json
import sys
import xml.etree.ElementTree as ET
import zipfile


def text_of(msg):
    parts = []
    for part in msg.walk():
        if part.get_content_type() == "text/plain" and not part.get_filename():
            parts.append(part.get_content())
    return "\n".join(parts)


def main(path):
    out = {"csv": [], "eml": [], "actiance": [], "files": []}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            data = z.read(name)
            out["files"].append(name)
            if name.endswith(".csv"):
                reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
                out["csv"].extend(reader)
            elif name.endswith(".eml"):
                msg = email.message_from_bytes(data, policy=email.policy.default)
                out["eml"].append({
                    "path": name,
                    "from": str(msg["From"]),
                    "to": [str(a) for a in msg["To"].addresses],
                    "subject": str(msg["Subject"]),
                    "date": str(msg["Date"]),
                    "message_id": str(msg["Message-ID"]),
                    "channel": str(msg["X-Hearth-Channel-Name"]),
                    "defects": [type(d).__name__ for d in msg.defects],
                    "attachments": [p.get_filename() for p in msg.walk() if p.get_filename()],
                    "body": text_of(msg),
                })
            elif name.endswith(".xml"):
                root = ET.fromstring(data)
                convs = []
                for conv in root:
                    convs.append({
                        "tag": conv.tag,
                        "room": conv.findtext("RoomID"),
                        "start": conv.findtext("StartTimeUTC"),
                        "end": conv.findtext("EndTimeUTC"),
                        "entered": [p.findtext("LoginName") for p in conv.findall("ParticipantEntered")],
                        "children": [c.tag for c in conv],
                        "messages": [
                            {
                                "id": m.findtext("MessageId"),
                                "login": m.findtext("LoginName"),
                                "updated": m.findtext("UpdatedType"),
                                "content": m.findtext("Content"),
                            }
                            for m in conv.findall("Message")
                        ],
                    })
                out["actiance"].append({"path": name, "root": root.tag, "conversations": convs})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
