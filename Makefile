# Trợ lý Quy định — the two commands of the README: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PORT    ?= 8501
Q       ?=

.PHONY: run test install venv lint format check docs index bench eval ask chat clean browser \
	ingest-tools postgres

venv: $(BIN)/python
$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# torch first, pinned: an unpinned torch (pulled in by sentence-transformers) is a multi-GB CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the end-to-end browser test (never `playwright install`).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Cài Chromium của Debian cho kiểm thử trình duyệt…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian programs for `quydinh ingest`: Tesseract with its Vietnamese and orientation models
# (scans and photos), antiword (Word 97 .doc) and the DejaVu fonts the OCR tests draw pages
# with and the PDF export writes Vietnamese in (assistant/export/pdf.py). About 15 s on a fresh machine; LibreOffice would take half a minute and 200 MB more.
INGEST_DEBS := tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd antiword fonts-dejavu-core
ingest-tools:
	@{ command -v tesseract && command -v antiword \
	   && tesseract --list-langs 2>/dev/null | grep -qx vie \
	   && tesseract --list-langs 2>/dev/null | grep -qx osd \
	   && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf; } >/dev/null 2>&1 || { \
	  echo "Cài Tesseract (tiếng Việt), antiword và phông DejaVu cho quydinh ingest…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(INGEST_DEBS) >/dev/null; }

# Debian's PostgreSQL for the test of several app instances sharing one feedback store; the
# test starts its own server (127.0.0.1, a free port, data in a temporary folder).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Cài PostgreSQL của Debian cho kiểm thử phản hồi dùng chung…"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

run: install ingest-tools
	$(BIN)/quydinh index
	$(BIN)/streamlit run ui/app.py --server.address 127.0.0.1 --server.port $(PORT) \
	  --server.headless true --browser.gatherUsageStats false

test: install browser ingest-tools postgres
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(BIN)/quydinh check

docs: install
	$(BIN)/quydinh docs -v

index: install
	$(BIN)/quydinh index

ask: install
	@test -n "$(Q)" || { echo 'Cách dùng: make ask Q="Ai đánh giá chi bộ?"'; exit 2; }
	$(BIN)/quydinh ask "$(Q)"

chat: install
	$(BIN)/quydinh chat

eval: install
	$(BIN)/quydinh eval --baselines

bench: install
	$(BIN)/python -m evals.bench

clean:
	rm -rf .data .pytest_cache
