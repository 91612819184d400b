"""Links are signed only to checked photos, under the prefixes the signing roles may read."""

import pytest

from phananh.adapters.aws.s3 import S3PhotoStorage


@pytest.mark.parametrize("key", ["quarantine/PA261123ABCDEFGH/1", "PA261123ABCDEFGH/1.jpg", "../public/x.jpg"])
def test_no_link_is_signed_outside_the_checked_prefixes(key):
    with pytest.raises(ValueError, match="not a checked photo"):
        S3PhotoStorage().photo_link(key)
