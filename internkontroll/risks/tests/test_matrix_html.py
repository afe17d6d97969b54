"""The risk matrix as people receive it: on the risk list, cells that count and link; on a
risk's page, the risk's own cell marked."""

from django.urls import reverse
from django.utils import translation
from lxml import html

from internkontroll.risks import matrix
from internkontroll.test import BaseTestCase, make_risk

LIST_URL = reverse("risks:overview")


def matrix_table(content: bytes) -> html.HtmlElement:
    tables = html.fromstring(content).xpath('//table[@class="matrix"]')
    assert len(tables) == 1
    return tables[0]


def cell(table: html.HtmlElement, probability: int, consequence: int) -> html.HtmlElement:
    """The cell of a probability and consequence: rows run from the most probable down."""
    rows = table.xpath("./tbody/tr")
    return rows[len(rows) - probability].xpath("./td")[consequence - 1]


class MatrixOnPagesTests(BaseTestCase):
    def test_the_risk_list_counts_and_links_each_cell(self) -> None:
        make_risk(self.sn_plan, "r-2", title="Låg & risk", probability=1, consequence=2)
        make_risk(self.sn_plan, "r-3", title="Låg & risk två", probability=1, consequence=2)
        self.client.force_login(self.coordinator)
        response = self.client.get(LIST_URL, {"unit": self.sn.pk, "year": 2025, "q": "låg & risk"})
        table = matrix_table(response.content)
        size = self.sn_plan.risk_matrix
        assert len(table.xpath("./tbody/tr")) == size.probability_size
        assert len(table.xpath("./thead/tr/th")) == size.consequence_size
        assert table.xpath("./caption")[0].text_content() == "Antal risker per ruta"

        two = cell(table, 1, 2)
        link = two.xpath("./a")[0]
        assert two.xpath('.//span[@class="cell__count"]')[0].text == "2"
        # The list narrowed to the cell, the other filters kept, loaded in place.
        query = f"?unit={self.sn.pk}&year=2025&q=l%C3%A5g+%26+risk&cell=1-2"
        assert link.get("href") == link.get("hx-get") == query
        assert link.get("hx-target") == "#results"
        hidden = link.xpath('./span[@class="visually-hidden"]')[0].text
        assert hidden == f"2 risker, sannolikhet {size.probability_labels[0]}, konsekvens 2"
        # Cells without risks (the free text leaves out the committee's first risk) have no
        # link, only their level.
        empty = cell(table, 3, 3)
        assert not empty.xpath("./a")
        assert empty.xpath('.//span[@class="cell__level"]')[0].text
        assert "is-selected" not in two.get("class")
        text = html.fromstring(response.content).text_content()
        assert "Rader: sannolikhet. Kolumner: konsekvens." in text

    def test_the_chosen_cell_is_marked_on_the_list(self) -> None:
        self.client.force_login(self.reader)
        response = self.client.get(LIST_URL, {"unit": self.sn.pk, "year": 2025, "cell": "3-3"})
        chosen = cell(matrix_table(response.content), 3, 3)
        hidden = chosen.xpath('.//span[@class="visually-hidden"]')[0].text
        assert hidden.startswith("1 risk, sannolikhet ")
        assert "is-selected" in chosen.get("class").split()
        assert chosen.xpath("./a")[0].get("aria-current") == "true"
        assert chosen.xpath("./a")[0].get("href").endswith("&cell=3-3")

    def test_a_risks_page_marks_its_own_cell_without_links(self) -> None:
        # The responsible person sits below the committee, at the unit that found the risk.
        for person in (self.coordinator, self.responsible):
            with self.subTest(person=person.username):
                self.client.force_login(person)
                response = self.client.get(reverse("risks:detail", args=[self.sn_risk.pk]))
                table = matrix_table(response.content)
                assert not table.xpath(".//a")
                own = cell(table, 3, 3)
                assert "is-selected" in own.get("class").split()
                assert own.xpath('.//span[@class="cell__count"]')[0].text == "●"
                assert own.xpath('.//span[@class="visually-hidden"]')[0].text == (
                    "Riskens bedömning"
                )
                assert len(table.xpath('.//td[contains(@class, "is-selected")]')) == 1

    def test_labels_and_captions_are_escaped_and_translated(self) -> None:
        risk_matrix = self.sn_plan.risk_matrix
        grid = matrix.counted_grid(risk_matrix, {(2, 2): 3}, None)
        labels = ["<b>Liten</b>", *risk_matrix.consequence_labels[1:]]
        with translation.override("en"):
            rendered = str(
                matrix.render(grid, labels, 'Risks "per" <cell>', cell_query="", show_counts=True)
            )
        assert "<b>Liten</b>" not in rendered
        assert "&lt;b&gt;Liten&lt;/b&gt;" in rendered
        assert 'aria-label="Risks &quot;per&quot; &lt;cell&gt;"' in rendered
        assert 'href="?cell=2-2"' in rendered
        assert "3 risks, probability" in rendered
        assert "Rows: probability. Columns: consequence." in rendered

    def test_a_cells_texts_read_as_separate_words(self) -> None:
        self.client.force_login(self.coordinator)
        response = self.client.get(LIST_URL, {"unit": self.sn.pk, "year": 2025})
        link = cell(matrix_table(response.content), 3, 3).xpath("./a")[0]
        level = link.xpath('./span[@class="cell__level"]')[0].text
        read = " ".join(link.text_content().split())
        assert read.startswith(f"1 {level} 1 risk, sannolikhet ")
