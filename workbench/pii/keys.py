"""What a field name (key=value, JSON key, CSV column, query parameter) says about its value."""
from __future__ import annotations

import re
from functools import lru_cache

from . import places


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PERSON = _words("""
name fullname firstname lastname givenname surname familyname middlename displayname realname
legalname preferredname nickname applicant applicantname customer customername client clientname
employee employeename owner ownername author authorname contact contactname assignee assignedto
reviewer reviewedby requester requestor requestedby approver approvedby createdby updatedby
modifiedby submittedby recipient recipientname sender sendername cardholder cardholdername
nameoncard holder holdername accountholder accountholdername patient patientname beneficiary
beneficiaryname payee payeename payer payername person personname manager managername signer
signedby witness spouse guardian nominee insured policyholder subscriber member membername
passenger passengername guest guestname student studentname doctor physician caller callee
fname lname cname custname empname fullnm firstnm lastnm from replyto to cc bcc shipto billto
attention attn deliverto forename forenames givennames reporter reportedby assignedby openedby
closedby resolvedby escalatedby handledby agent agentname rep salesrep accountmanager
contactperson emergencycontact nextofkin kin driver drivername signatory buyer seller tenant
landlord traveler traveller candidate interviewer nurse teacher
""")
# "<role>_name" keys: billing_name, shipping_name, patient_name, …
_NAME_ROLES = _words("""billing shipping contact customer client patient employee holder
accountholder cardholder owner recipient sender beneficiary legal full given family first last
middle display real preferred maiden mother father parent spouse guardian driver agent buyer seller
tenant guest passenger member student teacher doctor nurse candidate applicant subscriber caller
requester reporter assignee approver reviewer author person contactperson emergency""")

_USER = _words("""
user username usr login loginname uname accountname samaccountname principal principalname upn
actor useridentity userlogin screenname
""")

_PASSWORD_SUFFIXES = ("password", "passwd", "passphrase", "pwd", "pass")
_TOKEN_SUFFIXES = ("token", "accesstoken", "sessiontoken", "bearer", "authorization", "auth",
                   "cookie", "sessionkey", "csrf", "xsrf", "jwt")
_KEY_SUFFIXES = ("apikey", "secret", "secretkey", "clientsecret", "privatekey", "accesskey",
                 "apisecret", "signingkey", "encryptionkey", "masterkey", "accountkey", "sharedkey",
                 "credential", "credentials", "webhooksecret", "appkey", "licensekey", "sig",
                 "signature", "secretaccesskey", "accesskeyid", "subscriptionkey")
_CLOUD_KEYS = {"awssecretaccesskey", "secretaccesskey", "awsaccesskeyid", "accesskeyid",
               "awssecretkey", "accountkey", "awssessiontoken", "sig"}
_PHONE = {"phone", "phonenumber", "tel", "telephone", "mobile", "mobilephone", "cell", "cellphone",
          "fax", "msisdn", "contactnumber", "phoneno", "mobileno", "homephone", "workphone"}
_SSN = {"ssn", "socialsecurity", "socialsecuritynumber", "ssnnumber", "taxid", "tin"}

_NATIONAL_ID = _words("""
nino ninumber nationalinsurance nationalinsurancenumber nationalinsuranceno nhs nhsnumber nhsno
nhsnum nir insee securitesociale numerosecuritesociale dni nie nif codicefiscale cf bsn
burgerservicenummer pesel personnummer personalnumber personalidentitynumber personnr hetu
henkilotunnus rijksregisternummer nn sin socialinsurancenumber aadhaar aadhaarno aadhaarnumber
aadhar cpf steuerid steueridnr steueridentifikationsnummer idnr tfn taxfilenumber
""")
# identity documents without a check digit: any code with digits under these keys is one
ID_DOC_KEYS = _words("""
nationalid nationalidnumber nationalidentifier nationalidentitynumber idnumber idcardnumber
passport passportno passportnumber driverslicense driverlicense driverslicence driverlicence
driverslicensenumber driverlicensenumber
""")
_NATIONAL_ID = _NATIONAL_ID | ID_DOC_KEYS

_NON_ALNUM = re.compile(r"[^a-z0-9]")


def normalize(key: str) -> str:
    """Return a key lower-cased without separators: ``First-Name`` → ``firstname``."""
    return _NON_ALNUM.sub("", key.lower())


@lru_cache(maxsize=4096)
def key_entity(key: str) -> str | None:
    """Return the entity a value under ``key`` holds (PERSON, USERNAME, PASSWORD, …) or None."""
    k = normalize(key)
    if not k:
        return None
    # a prefixed key keeps its meaning: "x-api-key", "db_password", "customer_first_name"
    if k in _PERSON or k.endswith(("firstname", "lastname", "fullname", "surname", "person")):
        return "PERSON"
    if k.endswith("name") and k[:-4] in _NAME_ROLES:
        return "PERSON"
    if k in _USER or k.endswith("username"):
        return "USERNAME"
    if k in _PHONE or k.endswith(("phone", "phonenumber")):
        return "PHONE_NUMBER"
    if k in _SSN:
        return "US_SSN"
    if k in _NATIONAL_ID:
        return "NATIONAL_ID"
    if (ent := places.key_entity(k)) is not None:
        return ent
    if k in _CLOUD_KEYS:
        return "CLOUD_KEY"
    if k.endswith(_PASSWORD_SUFFIXES) and not k.endswith(("bypass", "compass", "onepass")):
        return "PASSWORD"
    if k.endswith(_KEY_SUFFIXES):
        return "API_KEY"
    if k.endswith(_TOKEN_SUFFIXES):
        return "AUTH_TOKEN"
    return None
