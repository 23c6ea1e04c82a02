"""The formats that CI systems read: JUnit as Jenkins' schema wants it, SARIF as GitHub code scanning
wants it (SPEC §11; issue 22)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from conftest import CONTRACT, edit
from ti_cli.cli import app

A1 = f"{CONTRACT}/actions/01-filiere-aeronautique.yaml"

# What Jenkins' JUnit schema (the xUnit plugin's junit-10.xsd, which Jenkins, GitLab and Azure read)
# asks of what ti writes, restated here: a <testsuites> root of <testsuite>, each with a name, tests,
# failures and errors (skipped, time optional, time a number of seconds); a <testcase> has a name and
# holds failure, error or skipped elements with a message.
JUNIT_XSD = """<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:simpleType name="seconds">
    <xs:restriction base="xs:string"><xs:pattern value="[0-9]+(\\.[0-9]*)?"/></xs:restriction>
  </xs:simpleType>
  <xs:complexType name="outcome" mixed="true">
    <xs:attribute name="type" type="xs:string"/>
    <xs:attribute name="message" type="xs:string"/>
  </xs:complexType>
  <xs:element name="testcase">
    <xs:complexType>
      <xs:choice minOccurs="0" maxOccurs="unbounded">
        <xs:element name="failure" type="outcome"/>
        <xs:element name="error" type="outcome"/>
        <xs:element name="skipped" type="outcome"/>
        <xs:element name="system-out" type="xs:string"/>
        <xs:element name="system-err" type="xs:string"/>
      </xs:choice>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="classname" type="xs:string"/>
      <xs:attribute name="time" type="seconds"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuite">
    <xs:complexType>
      <xs:sequence><xs:element ref="testcase" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:string" use="required"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger" use="required"/>
      <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="seconds"/>
    </xs:complexType>
  </xs:element>
  <xs:element name="testsuites">
    <xs:complexType>
      <xs:sequence><xs:element ref="testsuite" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
      <xs:attribute name="name" type="xs:string"/>
      <xs:attribute name="tests" type="xs:nonNegativeInteger"/>
      <xs:attribute name="failures" type="xs:nonNegativeInteger"/>
      <xs:attribute name="errors" type="xs:nonNegativeInteger"/>
      <xs:attribute name="skipped" type="xs:nonNegativeInteger"/>
      <xs:attribute name="time" type="seconds"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
"""


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env={"GITHUB_ACTIONS": ""})


def _junit(text: str) -> ET.Element:
    try:
        from lxml import etree
    except ImportError:  # the structure below still holds the schema's attributes
        pass
    else:
        schema = etree.XMLSchema(etree.fromstring(JUNIT_XSD.encode()))
        document = etree.fromstring(text.encode("utf-8"))
        assert schema.validate(document), schema.error_log
    return ET.fromstring(text.encode("utf-8"))


@pytest.mark.parametrize("broken", [False, True])
def test_junit_is_valid_against_the_jenkins_schema(sample, broken):
    if broken:
        edit(A1, "total: 16753500", "total: 16754500")
    out = invoke("validate", "--format", "junit", "--as-of", "2026-11-23").output
    root = _junit(out)
    assert root.tag == "testsuites"
    [suite] = root
    for element in (root, suite):
        assert {"tests", "failures", "errors", "skipped", "time"} <= set(element.attrib)
    cases = suite.findall("testcase")
    assert int(suite.get("tests", "")) == len(cases)
    assert int(suite.get("failures", "")) == len(suite.findall("testcase/failure")) == (1 if broken else 0)
    # warnings: the pacte's two reviews, the six blanks of the seed's preamble (TI039) and the seven milestones
    # the phase-1 contract's last report leaves open, past due (TI056)
    assert int(suite.get("skipped", "")) == len(suite.findall("testcase/skipped")) == 15
    assert suite.get("errors") == "0"


def test_sarif_rules_carry_what_code_scanning_shows(sample):
    edit(A1, "total: 16753500", 'total: "16 753 500 €"')
    out = invoke("validate", "--format", "sarif", "--as-of", "2026-11-23").output
    doc = json.loads(out)
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    results = doc["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == set(rules)
    assert "TI020" in rules  # a loading code, documented with the rules
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    for code, rule in rules.items():
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"], code
        assert rule["help"]["text"] and rule["help"]["markdown"], code
        assert rule["helpUri"].endswith(f"/docs/rules.md#{code.lower()}"), code
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")


def test_every_rule_has_the_anchor_its_help_uri_points_at():
    from ti_cli.rules.codes import LOADING
    from ti_cli.rules.docs import markdown
    from ti_cli.rules.registry import all_rules

    page = markdown()
    for code in (*LOADING, *all_rules()):
        assert f'<a id="{code.lower()}"></a>{code}' in page, code


def _definitions():
    from ti_cli.model.schemas import schemas

    for kind, doc in schemas().items():
        for definition in (doc, *doc.get("$defs", {}).values()):
            yield kind, definition


def test_schemas_describe_every_field_and_label_every_value():
    """What VS Code shows as one types: a French description on every field, a label on every value."""
    for kind, definition in _definitions():
        name = definition["title"]
        if "enum" in definition:
            labels = definition["enumDescriptions"]
            assert len(labels) == len(definition["enum"]) and all(labels), (kind, name)
            continue
        assert definition.get("description"), (kind, name)
        for field, prop in definition["properties"].items():
            assert prop.get("description"), f"{kind}: {name}.{field} has no description (model/descriptions.py)"


def test_descriptions_name_only_fields_that_exist():
    from ti_cli.model.descriptions import ENUMS, FIELDS, MODELS

    models = {d["title"]: set(d.get("properties", {})) for _kind, d in _definitions() if "properties" in d}
    enums = {d["title"]: d["enum"] for _kind, d in _definitions() if "enum" in d}
    assert set(MODELS) == set(FIELDS) == set(models)
    for name, fields in FIELDS.items():
        assert set(fields) == models[name], name
    assert set(ENUMS) == set(enums)
    for name, labels in ENUMS.items():
        assert list(labels) == enums[name], name


def test_amounts_are_numbers_from_zero_in_the_schemas():
    from ti_cli.model.schemas import schemas

    cost = schemas()["action"]["$defs"]["Cost"]["properties"]
    assert cost["investment"]["type"] == "number" and cost["investment"]["minimum"] == 0
    assert cost["investment"]["default"] == 0
    assert {"type": "number", "minimum": 0, "maximum": 10**12} in cost["total"]["anyOf"]
    for _kind, definition in _definitions():  # no number that may also be text (a review's values may)
        for field, prop in definition.get("properties", {}).items():
            types = {choice.get("type") for choice in prop.get("anyOf", [])}
            assert not {"number", "string"} <= types or (definition["title"], field) == ("Review", "indicators")
