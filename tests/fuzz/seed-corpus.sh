#!/bin/sh
# Fills tests/fuzz/corpus/<target>/ with seeds: the real catalog files and the committed
# request seeds. Safe to run again; existing corpus files are kept.
set -eu
cd "$(dirname "$0")"
catalog=../../catalog

mkdir -p corpus/catalog_offerings corpus/catalog_region corpus/convert corpus/engine

for f in "$catalog"/aanbod/*.toml; do
    cp "$f" "corpus/catalog_offerings/drechtsteden-$(basename "$f")"
done
for f in "$catalog"/landelijk-2020/aanbod/*.toml; do
    cp "$f" "corpus/catalog_offerings/landelijk-$(basename "$f")"
done

cp "$catalog/catalogus.toml" corpus/catalog_region/drechtsteden.toml
cp "$catalog/landelijk-2020/catalogus.toml" corpus/catalog_region/landelijk.toml
# A region file, NUL, then a taxonomy: the target fuzzes both.
{
    cat "$catalog/catalogus.toml"
    printf '\0'
    cat "$catalog/taxonomie.toml"
} > corpus/catalog_region/drechtsteden-with-taxonomy.toml

cp seeds/requests/* corpus/convert/
cp seeds/requests/* corpus/engine/
