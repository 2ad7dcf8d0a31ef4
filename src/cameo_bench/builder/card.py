"""Step 6 of the build: the dataset card (``README.md`` with the Hub's YAML front matter) that
credits every corpus in the collection with its authors, publication, license and source."""

from __future__ import annotations

from pathlib import Path

import yaml

from cameo_bench.audio import TARGET_SR
from cameo_bench.collection.format import COLUMNS, split_path
from cameo_bench.fileio import atomic_write
from cameo_bench.vocab import HUB_REPO, corpus_info

__all__ = ["CREDITS", "LANGUAGE_CODES", "front_matter", "card_text", "write_card"]

#: split → (authors, publication, source): the credit each corpus is owed.
CREDITS: dict[str, tuple[str, str, str]] = {
    "cafe": ("Philippe Gournay, Olivier Lahaie, Roch Lefebvre",
             "A Canadian French Emotional Speech Dataset. ACM MMSys 2018",
             "https://zenodo.org/record/1478765"),
    "crema_d": ("Houwei Cao, David G. Cooper, Michael K. Keutmann, Ruben C. Gur, Ani Nenkova, "
                "Ragini Verma",
                "CREMA-D: Crowd-sourced Emotional Multimodal Actors Dataset. "
                "IEEE Transactions on Affective Computing 5(4), 2014",
                "https://github.com/CheyneyComputerScience/CREMA-D"),
    "emns": ("Kari Ali Noriy, Xiaosong Yang, Jian Jun Zhang",
             "EMNS /Imz/ Corpus: An emotive single-speaker dataset for narrative storytelling "
             "in games, television and graphic novels. arXiv:2305.13137, 2023",
             "https://www.openslr.org/136/"),
    "emozionalmente": ("Fabio Catania, Jordan W. Wilke, Franca Garzotto",
                       "Emozionalmente: A Crowdsourced Corpus of Simulated Emotional Speech in "
                       "Italian. IEEE/ACM TASLP 33:1142-1155, 2025",
                       "https://zenodo.org/records/6569824"),
    "enterface": ("Olivier Martin, Irene Kotsia, Benoit Macq, Ioannis Pitas",
                  "The eNTERFACE'05 Audio-Visual Emotion Database. ICDEW 2006",
                  "http://www.enterface.net/enterface05/"),
    "jl_corpus": ("Jesin James, Li Tian, Catherine Inez Watson",
                  "An Open Source Emotional Speech Corpus for Human Robot Interaction "
                  "Applications. Interspeech 2018",
                  "https://www.kaggle.com/datasets/tli725/jl-corpus"),
    "mesd": ("Mathilde Marie Duville, Luz María Alonso-Valerdi, David I. Ibarra-Zarate",
             "The Mexican Emotional Speech Database (MESD). Data 6(12):130, 2021",
             "https://data.mendeley.com/datasets/cy34mh68j9/5"),
    "nemo": ("Iwona Christop",
             "nEMO: Dataset of Emotional Speech in Polish. LREC-COLING 2024",
             "https://github.com/amu-cai/nEMO"),
    "oreau": ("Leila Kerkeni, Catherine Cleder, Youssef Serrestou, Kosai Raoof",
              "French Emotional Speech Database - Oréau (OréauFR_01). Zenodo, 2020",
              "https://doi.org/10.5281/zenodo.4405783"),
    "pavoque": ("Ingmar Steiner, Marc Schröder, Annette Klepp",
                "The PAVOQUE corpus as a resource for analysis and synthesis of expressive "
                "speech. Phonetik & Phonologie 9, 2013",
                "https://github.com/marytts/pavoque-data"),
    "ravdess": ("Steven R. Livingstone, Frank A. Russo",
                "The Ryerson Audio-Visual Database of Emotional Speech and Song (RAVDESS). "
                "PLoS ONE 13(5):e0196391, 2018",
                "https://zenodo.org/record/1188976"),
    "resd": ("Aniemore (Ilya Lubenets, Nikita Davidchuk, Artem Amentes)",
             "Russian Emotional Speech Dialogs with annotated text. Hugging Face, "
             "doi:10.57967/hf/1272",
             "https://huggingface.co/datasets/Aniemore/resd_annotated"),
    "subesco": ("Sadia Sultana, M. Shahidur Rahman, M. Reza Selim, M. Zafar Iqbal",
                "SUST Bangla Emotional Speech Corpus (SUBESCO): An audio-only emotional speech "
                "corpus for Bangla. PLOS ONE 16(4):e0250173, 2021",
                "https://doi.org/10.5281/zenodo.4526477"),
}

#: English language name → ISO 639-1 code (the Hub's ``language`` metadata).
LANGUAGE_CODES = {"Bengali": "bn", "English": "en", "French": "fr", "German": "de",
                  "Italian": "it", "Polish": "pl", "Russian": "ru", "Spanish": "es"}

_PAPER = ("Christop and Czajka. CAMEO: Collection of Multilingual Emotional Speech "
          "Corpora. Adam Mickiewicz University, 2025")


def front_matter(kept: dict[str, int], **overrides) -> str:
    """The card's YAML front matter for ``kept[split]`` clips per split; ``overrides`` replace
    top-level keys (a ``None`` value removes the key), e.g. for the synthetic demo's card."""
    features = [
        {"name": c, "dtype": {"audio": {"sampling_rate": TARGET_SR}} if c == "audio" else "string"}
        for c in COLUMNS
    ]
    meta = {
        "license": "other",
        "license_name": "per-corpus",
        "license_details": "Each corpus keeps its own license: see the Corpora section.",
        "language": sorted({LANGUAGE_CODES[corpus_info(s).language] for s in kept}),
        "pretty_name": "CAMEO",
        "task_categories": ["audio-classification"],
        "configs": [{
            "config_name": "default",
            "data_files": [{"split": s, "path": split_path("", s).as_posix()} for s in kept],
        }],
        "dataset_info": {
            "features": features,
            "splits": [{"name": s, "num_examples": n} for s, n in kept.items()],
        },
    }
    meta.update(overrides)
    meta = {k: v for k, v in meta.items() if v is not None}
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def card_text(kept: dict[str, int]) -> str:
    """The README.md of a collection holding ``kept[split]`` clips of each split."""
    lines = [
        front_matter(kept),
        "# CAMEO: Collection of Multilingual Emotional Speech Corpora\n",
        f"Built from the original distributions with cameo-bench (`cameo build`), in the layout "
        f"of the Hugging Face dataset `{HUB_REPO}`: 16 kHz mono 16-bit FLAC, one parquet per "
        f"corpus under `data/`, metadata in `metadata.jsonl`, every removal in "
        f"`build_report.json`. Cite: {_PAPER}.\n",
        "## Corpora\n",
        "Every corpus keeps its own license; credit its authors when you use it.\n",
        "| split | corpus | language | license | samples | authors | publication | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split, n in kept.items():
        info = corpus_info(split)
        authors, publication, source = CREDITS[split]
        lines.append(f"| {split} | {info.name} | {info.language} | {info.license} | {n} | "
                     f"{authors} | {publication} | {source} |")
    return "\n".join(lines) + "\n"


def write_card(out: Path, kept: dict[str, int]) -> Path:
    """Write the dataset card ``README.md`` of collection ``out`` atomically."""
    text = card_text(kept)
    return atomic_write(out / "README.md", lambda tmp: Path(tmp).write_text(text, "utf-8"))
