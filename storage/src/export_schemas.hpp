#pragma once
// sohoa's XSDs for the subset of METS 1.12 and PREMIS 3.0 it writes, and for its dossier record.
// Same namespaces, element and attribute names and order as the official schemas (which are not
// available offline); what sohoa does not write is left out. Internal to sohoa_storage.

namespace sohoa::storage::schemas {

inline constexpr const char* k_mets_name = "sohoa-mets.xsd";
inline constexpr const char* k_mets = R"xsd(<?xml version="1.0" encoding="UTF-8"?>
<!-- Subset of METS 1.12 (http://www.loc.gov/METS/) written by sohoa. xlink attributes are
     checked by sohoa verify-package, not by this schema. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:mets="http://www.loc.gov/METS/"
           targetNamespace="http://www.loc.gov/METS/" elementFormDefault="qualified">
  <xs:simpleType name="sha256"><xs:restriction base="xs:string"><xs:pattern value="[0-9a-f]{64}"/></xs:restriction></xs:simpleType>
  <xs:attributeGroup name="fileCore">
    <xs:attribute name="MIMETYPE" type="xs:string" use="required"/>
    <xs:attribute name="SIZE" type="xs:long" use="required"/>
    <xs:attribute name="CREATED" type="xs:dateTime" use="required"/>
    <xs:attribute name="CHECKSUM" type="mets:sha256" use="required"/>
    <xs:attribute name="CHECKSUMTYPE" use="required"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="SHA-256"/></xs:restriction></xs:simpleType></xs:attribute>
  </xs:attributeGroup>
  <xs:complexType name="mdRef">
    <xs:attribute name="ID" type="xs:ID"/>
    <xs:attribute name="LOCTYPE" type="xs:string" use="required"/>
    <xs:attribute name="MDTYPE" type="xs:string" use="required"/>
    <xs:attribute name="OTHERMDTYPE" type="xs:string"/>
    <xs:attributeGroup ref="mets:fileCore"/>
    <xs:anyAttribute namespace="http://www.w3.org/1999/xlink" processContents="skip"/>
  </xs:complexType>
  <xs:complexType name="mdSec">
    <xs:sequence><xs:element name="mdRef" type="mets:mdRef"/></xs:sequence>
    <xs:attribute name="ID" type="xs:ID" use="required"/>
    <xs:attribute name="CREATED" type="xs:dateTime"/>
  </xs:complexType>
  <xs:complexType name="div">
    <xs:sequence>
      <xs:element name="fptr" minOccurs="0" maxOccurs="unbounded">
        <xs:complexType><xs:attribute name="FILEID" type="xs:IDREF" use="required"/></xs:complexType>
      </xs:element>
      <xs:element name="div" type="mets:div" minOccurs="0" maxOccurs="unbounded"/>
    </xs:sequence>
    <xs:attribute name="ID" type="xs:ID"/>
    <xs:attribute name="LABEL" type="xs:string"/>
    <xs:attribute name="DMDID" type="xs:IDREFS"/>
    <xs:attribute name="ADMID" type="xs:IDREFS"/>
  </xs:complexType>
  <xs:element name="mets">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="metsHdr">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="agent" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:sequence><xs:element name="name" type="xs:string"/></xs:sequence>
                  <xs:attribute name="ROLE" type="xs:string" use="required"/>
                  <xs:attribute name="TYPE" type="xs:string"/>
                  <xs:attribute name="OTHERTYPE" type="xs:string"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
            <xs:attribute name="CREATEDATE" type="xs:dateTime" use="required"/>
            <xs:attribute name="RECORDSTATUS" type="xs:string"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="dmdSec" type="mets:mdSec" maxOccurs="unbounded"/>
        <xs:element name="amdSec">
          <xs:complexType>
            <xs:sequence><xs:element name="digiprovMD" type="mets:mdSec" maxOccurs="unbounded"/></xs:sequence>
            <xs:attribute name="ID" type="xs:ID"/>
          </xs:complexType>
        </xs:element>
        <xs:element name="fileSec">
          <xs:complexType>
            <xs:sequence>
              <xs:element name="fileGrp" maxOccurs="unbounded">
                <xs:complexType>
                  <xs:sequence>
                    <xs:element name="file" maxOccurs="unbounded">
                      <xs:complexType>
                        <xs:sequence>
                          <xs:element name="FLocat">
                            <xs:complexType>
                              <xs:attribute name="LOCTYPE" type="xs:string" use="required"/>
                              <xs:anyAttribute namespace="http://www.w3.org/1999/xlink" processContents="skip"/>
                            </xs:complexType>
                          </xs:element>
                        </xs:sequence>
                        <xs:attribute name="ID" type="xs:ID" use="required"/>
                        <xs:attribute name="ADMID" type="xs:IDREFS"/>
                        <xs:attributeGroup ref="mets:fileCore"/>
                      </xs:complexType>
                    </xs:element>
                  </xs:sequence>
                  <xs:attribute name="USE" type="xs:string" use="required"/>
                </xs:complexType>
              </xs:element>
            </xs:sequence>
          </xs:complexType>
        </xs:element>
        <xs:element name="structMap">
          <xs:complexType>
            <xs:sequence><xs:element name="div" type="mets:div"/></xs:sequence>
            <xs:attribute name="TYPE" type="xs:string" use="required"/>
            <xs:attribute name="LABEL" type="xs:string"/>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="OBJID" type="xs:string" use="required"/>
      <xs:attribute name="TYPE" type="xs:string"/>
      <xs:attribute name="LABEL" type="xs:string"/>
      <xs:attribute name="PROFILE" type="xs:string"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
)xsd";

inline constexpr const char* k_premis_name = "sohoa-premis.xsd";
inline constexpr const char* k_premis = R"xsd(<?xml version="1.0" encoding="UTF-8"?>
<!-- Subset of PREMIS 3.0 (http://www.loc.gov/premis/v3) written by sohoa. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:premis="http://www.loc.gov/premis/v3"
           targetNamespace="http://www.loc.gov/premis/v3" elementFormDefault="qualified">
  <xs:complexType name="identifier">
    <xs:sequence>
      <xs:element name="type" type="xs:string"/>
      <xs:element name="value" type="xs:string"/>
    </xs:sequence>
  </xs:complexType>
  <xs:complexType name="objectComplexType" abstract="true"/>
  <xs:complexType name="file">
    <xs:complexContent>
      <xs:extension base="premis:objectComplexType">
        <xs:sequence>
          <xs:element name="objectIdentifier">
            <xs:complexType><xs:sequence>
              <xs:element name="objectIdentifierType" type="xs:string"/>
              <xs:element name="objectIdentifierValue" type="xs:string"/>
            </xs:sequence></xs:complexType>
          </xs:element>
          <xs:element name="objectCharacteristics">
            <xs:complexType><xs:sequence>
              <xs:element name="compositionLevel" type="xs:nonNegativeInteger"/>
              <xs:element name="fixity">
                <xs:complexType><xs:sequence>
                  <xs:element name="messageDigestAlgorithm" type="xs:string"/>
                  <xs:element name="messageDigest"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9a-f]{64}"/></xs:restriction></xs:simpleType></xs:element>
                </xs:sequence></xs:complexType>
              </xs:element>
              <xs:element name="size" type="xs:long" minOccurs="0"/>
              <xs:element name="format">
                <xs:complexType><xs:sequence>
                  <xs:element name="formatDesignation">
                    <xs:complexType><xs:sequence>
                      <xs:element name="formatName" type="xs:string"/>
                      <xs:element name="formatVersion" type="xs:string" minOccurs="0"/>
                    </xs:sequence></xs:complexType>
                  </xs:element>
                </xs:sequence></xs:complexType>
              </xs:element>
            </xs:sequence></xs:complexType>
          </xs:element>
          <xs:element name="originalName" type="xs:string" minOccurs="0"/>
          <xs:element name="linkingEventIdentifier" minOccurs="0" maxOccurs="unbounded">
            <xs:complexType><xs:sequence>
              <xs:element name="linkingEventIdentifierType" type="xs:string"/>
              <xs:element name="linkingEventIdentifierValue" type="xs:string"/>
            </xs:sequence></xs:complexType>
          </xs:element>
        </xs:sequence>
      </xs:extension>
    </xs:complexContent>
  </xs:complexType>
  <xs:element name="premis">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="object" type="premis:objectComplexType" maxOccurs="unbounded"/>
        <xs:element name="event" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType><xs:sequence>
            <xs:element name="eventIdentifier">
              <xs:complexType><xs:sequence>
                <xs:element name="eventIdentifierType" type="xs:string"/>
                <xs:element name="eventIdentifierValue" type="xs:string"/>
              </xs:sequence></xs:complexType>
            </xs:element>
            <xs:element name="eventType" type="xs:string"/>
            <xs:element name="eventDateTime" type="xs:string"/>
            <xs:element name="eventDetailInformation" minOccurs="0">
              <xs:complexType><xs:sequence><xs:element name="eventDetail" type="xs:string"/></xs:sequence></xs:complexType>
            </xs:element>
            <xs:element name="eventOutcomeInformation" minOccurs="0">
              <xs:complexType><xs:sequence><xs:element name="eventOutcome" type="xs:string"/></xs:sequence></xs:complexType>
            </xs:element>
            <xs:element name="linkingAgentIdentifier" minOccurs="0" maxOccurs="unbounded">
              <xs:complexType><xs:sequence>
                <xs:element name="linkingAgentIdentifierType" type="xs:string"/>
                <xs:element name="linkingAgentIdentifierValue" type="xs:string"/>
                <xs:element name="linkingAgentRole" type="xs:string" minOccurs="0"/>
              </xs:sequence></xs:complexType>
            </xs:element>
            <xs:element name="linkingObjectIdentifier" minOccurs="0" maxOccurs="unbounded">
              <xs:complexType><xs:sequence>
                <xs:element name="linkingObjectIdentifierType" type="xs:string"/>
                <xs:element name="linkingObjectIdentifierValue" type="xs:string"/>
              </xs:sequence></xs:complexType>
            </xs:element>
          </xs:sequence></xs:complexType>
        </xs:element>
        <xs:element name="agent" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType><xs:sequence>
            <xs:element name="agentIdentifier">
              <xs:complexType><xs:sequence>
                <xs:element name="agentIdentifierType" type="xs:string"/>
                <xs:element name="agentIdentifierValue" type="xs:string"/>
              </xs:sequence></xs:complexType>
            </xs:element>
            <xs:element name="agentName" type="xs:string"/>
            <xs:element name="agentType" type="xs:string"/>
            <xs:element name="agentVersion" type="xs:string" minOccurs="0"/>
          </xs:sequence></xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="version" type="xs:string" use="required" fixed="3.0"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
)xsd";

inline constexpr const char* k_dossier_name = "sohoa-dossier.xsd";
inline constexpr const char* k_dossier = R"xsd(<?xml version="1.0" encoding="UTF-8"?>
<!-- sohoa's dossier record: the manifest metadata, the archival fields (core/archival.hpp) and
     the sources with their SHA-256. Field names are the XMP property names of the PDF. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:d="urn:sohoa:metadata:1.0:"
           targetNamespace="urn:sohoa:metadata:1.0:" elementFormDefault="qualified">
  <xs:element name="dossier">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="field" maxOccurs="unbounded">
          <xs:complexType>
            <xs:simpleContent>
              <xs:extension base="xs:string">
                <xs:attribute name="name" type="xs:string" use="required"/>
                <xs:attribute name="source" use="required">
                  <xs:simpleType><xs:restriction base="xs:string">
                    <xs:enumeration value="manifest"/><xs:enumeration value="default"/><xs:enumeration value="sohoa"/>
                  </xs:restriction></xs:simpleType>
                </xs:attribute>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
        </xs:element>
        <xs:element name="source" minOccurs="0" maxOccurs="unbounded">
          <xs:complexType>
            <xs:attribute name="page" type="xs:positiveInteger" use="required"/>
            <xs:attribute name="name" type="xs:string" use="required"/>
            <xs:attribute name="index" type="xs:nonNegativeInteger" use="required"/>
            <xs:attribute name="sha256" use="required">
              <xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9a-f]{64}"/></xs:restriction></xs:simpleType>
            </xs:attribute>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
      <xs:attribute name="code" type="xs:string" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
)xsd";

}  // namespace sohoa::storage::schemas
