"""Generated report sections."""

import pytest

from training.report import fill_section


def test_fill_section_replaces_only_its_region(tmp_path):
    path = tmp_path / "sheet.md"
    path.write_text("# T\n<!-- counts:start -->\nold\n<!-- counts:end -->\ntail\n")
    fill_section(path, "counts", "new\nlines")
    assert path.read_text() == "# T\n<!-- counts:start -->\nnew\nlines\n<!-- counts:end -->\ntail\n"
    with pytest.raises(ValueError, match="no <!-- agreement:start -->"):
        fill_section(path, "agreement", "x")
