#!/usr/bin/env python3
"""Prepares a demo `kehu` for schemathesis' object-level authorization check.

The check needs at least two identities ("peers") per run that must not see
each other's objects unless a list shows them to both. The demo organisation
has one user per built-in role (two sales reps); this adds, through the API as
the demo administrator, a second user for every other role (a manager of
another region, a partner user of another dealer, ...), gives each new user
customers and contacts of their own, and creates two API keys (acting as the
two reps). It then writes a Web Fuzzing Commons auth document naming every
identity, which `[auth.wfc]` in schemathesis' config reads.

    fuzz-peers.py BASE_URL OUT.json     # prints the runs: "name user peer peer"

Standard library only: it runs before the virtualenv matters.
"""

import json
import sys
import urllib.error
import urllib.request

PASSWORD = "kehu-demo"
LOGIN = "/api/v1/auth/login"


def call(base, method, path, body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        sys.exit(f"fuzz-peers: {method} {path} answered {e.code}: {e.read().decode()[:300]}")


def login(base, email):
    return call(base, "POST", LOGIN, {"email": email, "password": PASSWORD})["access_token"]


def by_name(base, token, path, name):
    items = call(base, "GET", path, token=token)
    items = items["data"] if isinstance(items, dict) else items
    return next(i["id"] for i in items if i["name"] == name)


def main():
    base, out = sys.argv[1].rstrip("/"), sys.argv[2]
    admin = login(base, "admin@example.com")
    south = by_name(base, admin, "/api/v1/regions", "华南")
    team_south = by_name(base, admin, "/api/v1/teams", "华南销售部")
    dealer2 = call(base, "POST", "/api/v1/partners", {"name": "第二经销商"}, admin)["id"]

    # the second peer of each role the demo has only once
    second = [
        ("admin2@fuzz.example", "admin", {}),
        ("manager.south@fuzz.example", "sales_manager", {"team_id": team_south, "region_ids": [south]}),
        ("service2@fuzz.example", "service_agent", {}),
        ("marketing2@fuzz.example", "marketing", {}),
        ("partner2@fuzz.example", "partner", {"partner_id": dealer2}),
    ]
    for email, role, extra in second:
        call(base, "POST", "/api/v1/users",
             {"email": email, "display_name": email.split("@")[0], "password": PASSWORD,
              "role_ids": [role], **extra}, admin)
        token = login(base, email)
        for n in range(2):
            c = call(base, "POST", "/api/v1/customers",
                     {"name": f"{email.split('@')[0]} 客户 {n}"}, token)
            # as the administrator: service agents and marketing may create a
            # customer but not change it, and a contact is a change
            call(base, "POST", f"/api/v1/customers/{c['id']}/contacts",
                 {"name": f"联系人 {n}", "phones": ["13800138000"]}, admin)

    users = {u["email"]: u["id"] for u in call(base, "GET", "/api/v1/users?limit=200", token=admin)["data"]}
    keys = {}
    for name, email in (("key.rep.east", "rep.east@example.com"), ("key.rep.south", "rep.south@example.com")):
        keys[name] = call(base, "POST", "/api/v1/api-keys",
                          {"name": f"fuzz {name}", "user_id": users[email]}, admin)["key"]

    auth = []
    for email in [
        "admin@example.com", "admin2@fuzz.example",
        "manager.east@example.com", "manager.south@fuzz.example",
        "rep.east@example.com", "rep.south@example.com",
        "service@example.com", "service2@fuzz.example",
        "marketing@example.com", "marketing2@fuzz.example",
        "partner@example.com", "partner2@fuzz.example",
    ]:
        auth.append({
            "name": email,
            "loginEndpointAuth": {
                "endpoint": LOGIN, "verb": "POST", "contentType": "application/json",
                "payloadUserPwd": {"username": email, "password": PASSWORD,
                                   "usernameField": "email", "passwordField": "password"},
                "token": {"extractFrom": "body", "extractSelector": "/access_token",
                          "sendIn": "header", "sendName": "Authorization", "sendTemplate": "Bearer {token}"},
            },
        })
    for name, key in keys.items():
        auth.append({"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {key}"}]})
    with open(out, "w") as f:
        json.dump({"schemaVersion": "0.1.0", "auth": auth}, f, indent=1)

    # one run per built-in role and one with API keys: the pinned user, then its peers
    for run, a, b in [
        ("admin", "admin@example.com", "admin2@fuzz.example"),
        ("sales_manager", "manager.east@example.com", "manager.south@fuzz.example"),
        ("sales_rep", "rep.east@example.com", "rep.south@example.com"),
        ("service_agent", "service@example.com", "service2@fuzz.example"),
        ("marketing", "marketing@example.com", "marketing2@fuzz.example"),
        ("partner", "partner@example.com", "partner2@fuzz.example"),
        ("api_key", "key.rep.east", "key.rep.south"),
    ]:
        print(run, a, a, b)


if __name__ == "__main__":
    main()
