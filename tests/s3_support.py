"""A real S3-compatible server on loopback for the S3 photo store's tests: moto's, in a thread.

It checks signatures and rights as S3 does: a bucket and an account allowed to use it are made
first, then every request must be signed by a key the server knows (a wrong one is refused).
"""

from __future__ import annotations

import contextlib
import json
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
from moto.server import ThreadedMotoServer

from server.s3_photo_store import S3Location

REGION = "eu-central-1"
ALLOW_S3 = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
)


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    access_key_id: str
    secret_access_key: str

    def location(self, bucket: str, **overrides: str) -> S3Location:
        fields = {
            "bucket": bucket,
            "endpoint_url": self.endpoint_url,
            "region": REGION,
            "access_key_id": self.access_key_id,
            "secret_access_key": self.secret_access_key,
            **overrides,
        }
        return S3Location(**fields)

    def client(self, service: str = "s3") -> object:
        return boto3.client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=self.access_key_id,
            aws_secret_access_key=self.secret_access_key,
        )

    def new_bucket(self, *, versioned: bool = False) -> str:
        bucket = f"photos-{uuid.uuid4().hex[:12]}"
        s3 = self.client()
        s3.create_bucket(  # type: ignore[attr-defined]
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        if versioned:
            s3.put_bucket_versioning(  # type: ignore[attr-defined]
                Bucket=bucket, VersioningConfiguration={"Status": "Enabled"}
            )
        return bucket


def _enforce_signatures(endpoint: str, after: str) -> None:
    # moto's switch: requests are checked once `after` more have been made ("inf": never).
    request = urllib.request.Request(
        endpoint + "/moto-api/reset-auth",
        data=after.encode(),
        method="POST",
        headers={"Content-Type": "text/plain"},  # a form body would not reach the switch
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


@contextlib.contextmanager
def running_s3_server() -> Iterator[S3Server]:
    """The server for the block's duration, with an account allowed to use S3."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        _enforce_signatures(endpoint, "inf")
        bootstrap = S3Server(endpoint, "bootstrap", "bootstrap")
        iam = bootstrap.client("iam")
        user = f"glowpath-{uuid.uuid4().hex[:8]}"
        iam.create_user(UserName=user)  # type: ignore[attr-defined]
        iam.put_user_policy(  # type: ignore[attr-defined]
            UserName=user, PolicyName="photos", PolicyDocument=ALLOW_S3
        )
        key = iam.create_access_key(UserName=user)["AccessKey"]  # type: ignore[attr-defined]
        _enforce_signatures(endpoint, "0")
        yield S3Server(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        _enforce_signatures(endpoint, "inf")
        server.stop()
