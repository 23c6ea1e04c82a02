#!/bin/sh
# System libraries WeasyPrint needs to make PDFs (Pango, HarfBuzz, a font). Installed when missing and
# when we may (root with apt-get, as on CI); otherwise say what to install. Everything else is pip.
missing=""
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing="yes"
done
[ -d /usr/share/fonts/truetype/dejavu ] || missing="yes"
[ -z "$missing" ] && exit 0
pkgs="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages for PDF output: $pkgs"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs) >/dev/null 2>&1 \
    || echo "warning: could not install $pkgs; PDF output will not work" >&2
else
  echo "note: PDF output needs the system packages: $pkgs" >&2
fi
exit 0
