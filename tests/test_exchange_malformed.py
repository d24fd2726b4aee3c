# ruff: noqa: E501 (a table of files, one a line)
"""Malformed registers and Common Transfer Files, uploaded through the pages: each is refused
or its problems are reported by row and column, never a server error, and nothing changes.

The large files (a million rows, 50 MB, a zip bomb) are made here, never kept in the
repository.
"""

import io
import zipfile
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from stdnum.gb.upn import calc_check_digit

from vsend.audit.models import AuditEvent
from vsend.children.models import Child, Enrolment
from vsend.exchange.columns import COLUMNS
from vsend.exchange.models import RegisterImport

HEAD = "UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Reg Group,SEN Provision,SEN Need Type 1,SEN Need Type 2,SEN Start Date\n"


def upn(n: int, la: str = "925") -> str:
    body = la + f"{n:09d}"
    return calc_check_digit(body) + body


def good(n: int = 1) -> str:
    return f"{upn(n)},Goodrow,Gail,01/02/2017,F,3,3 Oak,K,SLCN,,01/09/2024\n"


def csv(*rows: str, head: str = HEAD) -> Callable[[], bytes]:
    return lambda: (head + "".join(rows)).encode()


def xlsx(rows: list[list[object]]) -> Callable[[], bytes]:
    def make() -> bytes:
        book = Workbook()
        sheet = book.active
        for r in rows:
            sheet.append(r)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return make


def zipped(entries: dict[str, bytes]) -> Callable[[], bytes]:
    def make() -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in entries.items():
                z.writestr(name, data)
        return out.getvalue()

    return make


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/workbook.xml", b"<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


def ctf(pupil: str, head: str = "") -> Callable[[], bytes]:
    return lambda: (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + head
        + "<CTfile><Header><DocumentName>Common Transfer File</DocumentName></Header>"
        + f"<CTFpupilData>{pupil}</CTFpupilData></CTfile>"
    ).encode()


def pupil(
    upn_: str = "",
    dob: str = "2018-01-01",
    sen: str = "<SEN><StartDate>2024-09-01</StartDate><SENprovision>K</SENprovision></SEN>",
    needs: str = "",
) -> str:
    return (
        f"<Pupil><UPN>{upn_ or upn(50)}</UPN><Surname>Xml</Surname><Forename>Pat</Forename>"
        f"<DOB>{dob}</DOB><Sex>F</Sex><SENhistory>{sen}<SENneeds>{needs}</SENneeds>"
        "</SENhistory></Pupil>"
    )


def need(code: str, rank: int | str = 1) -> str:
    return f"<SENneed><SENtypeRank>{rank}</SENtypeRank><SENtype>{code}</SENtype></SENneed>"


def big_text(rows: int, line: str) -> Callable[[], bytes]:
    return lambda: (HEAD + line * rows).encode()


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b"<CTfile>&lol3;</CTfile>"
)
EXTERNAL_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE CTfile SYSTEM "http://127.0.0.1:1/ctf.dtd"><CTfile/>'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<CTfile><CTFpupilData><Pupil><Surname>&x;</Surname></Pupil></CTFpupilData></CTfile>"
)
FUTURE = "01/01/2099"

# id: (file name, the bytes, words the refusal or the report must contain)
CASES: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "empty": ("r.csv", lambda: b"", "The selected file is empty"),
    "only spaces": ("r.csv", lambda: b"   \n\n  ", "The selected file is empty"),
    "headers only": ("r.csv", csv(), "column headings but no children"),
    "headers only with a BOM": ("r.csv", lambda: b"\xef\xbb\xbf" + HEAD.encode(), "no children"),
    "blank rows only": ("r.csv", lambda: b",,,\n,,,\n", "The selected file is empty"),
    "one column": ("r.csv", lambda: b"Name\nA\nB\n", "not a row of column headings"),
    "binary with nul bytes": ("r.csv", lambda: b"\x00\x01\x02garbage\x00" * 50, "not a CSV"),
    "bytes no encoding reads": (
        "r.csv",
        lambda: HEAD.encode() + b"\x81\x8d\x8f\x90\x9d\n",
        "text encoding",
    ),
    "pdf": ("r.csv", lambda: b"%PDF-1.7\n...", "PDF"),
    "old excel xls": ("r.xls", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
    "named xlsx but text": ("r.xlsx", csv(good()), "named as an Excel workbook"),
    "json": ("r.csv", lambda: b'{"a": 1, "b": 2}', "no children"),
    "html": ("r.csv", lambda: b"<!DOCTYPE html><html><body>x</body></html>", "document type"),
    "too many columns": (
        "r.csv",
        lambda: (",".join(f"c{i}" for i in range(300)) + "\n1\n").encode(),
        "more than 200 columns",
    ),
    "a million rows": (
        "r.csv",
        lambda: b"Legal Surname,Legal Forename\n" + b"a,b\n" * 1_000_000,
        "more than 20,000 rows",
    ),
    "a million realistic rows (over the size limit)": (
        "r.csv",
        big_text(1_000_000, good()),
        "smaller than 10 MB",
    ),
    "50 MB": ("r.csv", lambda: HEAD.encode() + b"x" * (50 * 1024 * 1024), "smaller than 10 MB"),
    "zip bomb disguised as xlsx": ("register.xlsx", zip_bomb, "unpack to far more"),
    "zip of many parts": (
        "r.xlsx",
        zipped({f"p{i}.xml": b"<a/>" for i in range(600)} | {"xl/workbook.xml": b"<w/>"}),
        "too many parts",
    ),
    "zip that is not a workbook": (
        "r.xlsx",
        zipped({"notes.txt": b"hello"}),
        "zip file, not an Excel workbook",
    ),
    "truncated xlsx": (
        "r.xlsx",
        lambda: xlsx([["UPN", "Surname"], ["x", "y"]])()[:700],
        "damaged or cut short",
    ),
    "xlsx with a broken sheet": (
        "r.xlsx",
        zipped({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<w"}),
        "not an Excel workbook vsend can read",
    ),
    "xlsx formula cells": (
        "r.xlsx",
        xlsx(
            [
                ["Legal Surname", "Legal Forename", "DOB", "Gender"],
                ["=A1&B1", "Ann", "01/01/2018", "F"],
            ]
        ),
        "holds a formula",
    ),
    "xlsx headers only": (
        "r.xlsx",
        xlsx([["Legal Surname", "Legal Forename", "DOB", "Gender"]]),
        "no children",
    ),
    "xlsx future date": (
        "r.xlsx",
        xlsx(
            [["Legal Surname", "Legal Forename", "DOB", "Gender"], ["Zo", "Ann", "2099-01-01", "F"]]
        ),
        "is in the future",
    ),
    "csv formula cells": (
        "r.csv",
        csv(f'{upn(2)},=HYPERLINK("http://x"),Ann,01/01/2018,F,3,,N,,,\n'),
        "holds a formula",
    ),
    "semicolons with a bad sex": (
        "r.csv",
        lambda: (
            HEAD.replace(",", ";").encode() + f"{upn(3)};Semi;Col;01/01/2018;X;3;;N;;;\n".encode()
        ),
        "is not a sex",
    ),
    "tabs with an unknown code": (
        "r.csv",
        lambda: (
            HEAD.replace(",", "\t").encode()
            + f"{upn(4)}\tTab\tBed\t01/01/2018\tF\t3\t\tK\tXYZ\t\t\n".encode()
        ),
        "is not a census type of need",
    ),
    "utf-8 bom with a future date": (
        "r.csv",
        lambda: b"\xef\xbb\xbf" + (HEAD + f"{upn(5)},Bom,Ann,{FUTURE},F,3,,N,,,\n").encode(),
        "is in the future",
    ),
    "utf-16 bom with bad upn": (
        "r.csv",
        lambda: (HEAD + "A925000000001,Sixteen,Ann,01/01/2018,F,3,,N,,,\n").encode("utf-16"),
        "UPN",
    ),
    "windows-1252 with a bad date": (
        "r.csv",
        lambda: (HEAD + f"{upn(6)},Zoë,Renée,31/02/2018,F,3,,N,,,\n").encode("cp1252"),
        "is not a date",
    ),
    "duplicate upns": ("r.csv", csv(good(7), good(7).replace("Gail", "Gina")), "is also on row 2"),
    "invalid upn check letter": (
        "r.csv",
        csv("A925000000007,Check,Ann,01/01/2018,F,3,,N,,,\n"),
        "first letter does not match",
    ),
    "upn too short": ("r.csv", csv("A92500001,Short,Ann,01/01/2018,F,3,,N,,,\n"), "13 characters"),
    "upn from no authority": (
        "r.csv",
        csv(upn(8, la="000") + ",Nola,Ann,01/01/2018,F,3,,N,,,\n"),
        "local authority number",
    ),
    "old statement code": (
        "r.csv",
        csv(f"{upn(9)},Stat,Ann,01/01/2018,F,3,,S,,,\n"),
        "is not an SEN provision",
    ),
    "unknown need code": (
        "r.csv",
        csv(f"{upn(10)},Code,Ann,01/01/2018,F,3,,K,ABC,,\n"),
        "is not a census type of need",
    ),
    "nsa with an ehc plan": (
        "r.csv",
        csv(f"{upn(11)},Nsa,Ann,01/01/2018,F,3,,E,NSA,,\n"),
        "NSA (no specialist",
    ),
    "need without sen": (
        "r.csv",
        csv(f"{upn(12)},Nosen,Ann,01/01/2018,F,3,,N,ASD,,\n"),
        "SEN provision is N",
    ),
    "secondary without primary": (
        "r.csv",
        csv(f"{upn(13)},Sec,Ann,01/01/2018,F,3,,K,,ASD,\n"),
        "without a primary need",
    ),
    "secondary same as primary": (
        "r.csv",
        csv(f"{upn(14)},Same,Ann,01/01/2018,F,3,,K,ASD,ASD,\n"),
        "same as the primary need",
    ),
    "future date of birth": (
        "r.csv",
        csv(f"{upn(15)},Future,Ann,{FUTURE},F,3,,N,,,\n"),
        "is in the future",
    ),
    "future sen start": (
        "r.csv",
        csv(f"{upn(16)},Later,Ann,01/01/2018,F,3,,K,ASD,,{FUTURE}\n"),
        "is in the future",
    ),
    "sen start before birth": (
        "r.csv",
        csv(f"{upn(17)},Early,Ann,01/01/2018,F,3,,K,ASD,,01/01/2010\n"),
        "is before the child",
    ),
    "date of birth too long ago": (
        "r.csv",
        csv(f"{upn(18)},Old,Ann,01/01/1850,F,3,,N,,,\n"),
        "too long ago",
    ),
    "not a date": ("r.csv", csv(f"{upn(19)},Word,Ann,yesterday,F,3,,N,,,\n"), "is not a date"),
    "empty surname": (
        "r.csv",
        csv(f"{upn(20)},,Ann,01/01/2018,F,3,,N,,,\n"),
        "Legal surname: it is empty",
    ),
    "unknown year group": (
        "r.csv",
        csv(f"{upn(21)},Year,Ann,01/01/2018,F,Year 27,,N,,,\n"),
        "is not a year group",
    ),
    "registration group too long": (
        "r.csv",
        csv(f"{upn(22)},Reg,Ann,01/01/2018,F,3,{'R' * 60},N,,,\n"),
        "longer than 50",
    ),
    "name too long": (
        "r.csv",
        csv(f"{upn(23)},{'L' * 120},Ann,01/01/2018,F,3,,N,,,\n"),
        "longer than 100",
    ),
    "columns vsend cannot find": (
        "r.csv",
        lambda: b"Alpha,Beta,Gamma\n1,2,3\n",
        "Choose the column",
    ),
    "one good row one bad row": (
        "r.csv",
        csv(good(24), f"{upn(25)},Bad,Ann,01/01/2018,F,3,,K,OOPS,,\n"),
        "Row 3, Primary need",
    ),
    "xml with entities (billion laughs)": (
        "r.xml",
        lambda: LAUGHS,
        "declares a document type or entities",
    ),
    "xml with an external dtd": (
        "r.xml",
        lambda: EXTERNAL_DTD,
        "declares a document type or entities",
    ),
    "xml with an external entity": (
        "r.xml",
        lambda: EXTERNAL_ENTITY,
        "declares a document type or entities",
    ),
    "truncated xml": ("r.xml", lambda: ctf(pupil())()[:150], "not complete XML"),
    "xml that is not a ctf": (
        "r.xml",
        lambda: b"<?xml version='1.0'?><invoice><total>1</total></invoice>",
        "not a Common Transfer File",
    ),
    "ctf without pupils": ("r.xml", ctf(""), "has no pupils"),
    "ctf invalid upn": ("r.xml", ctf(pupil(upn_="A925000000007")), "first letter does not match"),
    "ctf unknown need": ("r.xml", ctf(pupil(needs=need("ZZZ"))), "is not a census type of need"),
    "ctf future dob": ("r.xml", ctf(pupil(dob="2099-01-01")), "is in the future"),
    "ctf nsa with an ehc plan": (
        "r.xml",
        ctf(
            pupil(
                sen="<SEN><StartDate>2024-01-01</StartDate><SENprovision>E</SENprovision></SEN>",
                needs=need("NSA"),
            )
        ),
        "NSA is used only",
    ),
    "ctf duplicate upn": ("r.xml", ctf(pupil() + pupil()), "is also pupil 1"),
    "ctf need rank over 99": (
        "r.xml",
        ctf(pupil(needs=need("ASD", rank=100))),
        "SENtypeRank from 1 to 99",
    ),
    "ctf need rank 0": ("r.xml", ctf(pupil(needs=need("ASD", rank=0))), "SENtypeRank from 1 to 99"),
    "ctf need rank not a number": (
        "r.xml",
        ctf(pupil(needs=need("ASD", rank="first"))),
        "SENtypeRank from 1 to 99",
    ),
    "ctf unknown provision": (
        "r.xml",
        ctf(
            pupil(sen="<SEN><StartDate>2024-01-01</StartDate><SENprovision>Q</SENprovision></SEN>")
        ),
        "is not an SEN provision",
    ),
}


def test_there_are_at_least_fifty_malformed_files():
    assert len(CASES) >= 50


def _words(content: bytes) -> str:
    return content.decode("utf-8", "replace")


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_malformed_file_is_refused_or_reported_and_changes_nothing(case, world, as_user):
    file_name, make, expected = CASES[case]
    client = as_user("sendco")
    children = Child.objects.count()
    enrolments = list(Enrolment.objects.values_list("pk", "ended_on", "year_group", "school_class"))
    page = reverse("exchange:setting", kwargs={"pk": world.setting.pk})
    response = client.post(page, {"register": SimpleUploadedFile(file_name, make())})
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:  # refused whole, with the error summary
        body = _words(response.content)
        assert "There is a problem" in body and expected in body, body[body.find("govuk-error") :][
            :600
        ]
    else:
        if "/columns/" in response.url:
            mapping = response.url
            form = client.get(mapping)
            assert form.status_code == 200
            proposed = RegisterImport.objects.latest("pk").mapping
            chosen = {c.field: proposed.get(c.field, "") for c in COLUMNS}
            response = client.post(mapping, chosen)
            if response.status_code == 200:
                assert expected in _words(response.content)
                response = None
        if response is not None:
            preview = client.get(response.url)
            body = _words(preview.content)
            assert preview.status_code == 200 and "Problems" in body and expected in body, body[
                :3000
            ]
            confirm = client.post(response.url, {})
            assert confirm.status_code == 200  # refused: the preview again, with why
    assert Child.objects.count() == children
    assert (
        list(Enrolment.objects.values_list("pk", "ended_on", "year_group", "school_class"))
        == enrolments
    )
    assert not AuditEvent.objects.filter(object_type="register_import").exists()
