#!/usr/bin/env bash
# Shell completion: the scripts csvbatch --completion writes are loaded in real bash, zsh and fish
# and asked for candidates (options, enum values, directories, files); they offer exactly the
# options --help lists; `make install` puts them where each shell's loader finds them.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CSVBATCH:-$root/build/release/csvbatch}
case $bin in /*) ;; *) bin=$root/$bin ;; esac
tmp=$(mktemp -d /tmp/csvbatch-completion-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 skipped=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; shift; printf '  %s\n' "$@"; failed=$((failed + 1)); }
skip() { echo "SKIP $1"; skipped=$((skipped + 1)); }
# same NAME GOT WANT
same() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $(printf %q "$2")" "want: $(printf %q "$3")"; fi; }

"$bin" --completion bash >"$tmp/csvbatch.bash" && "$bin" --completion zsh >"$tmp/_csvbatch" &&
    "$bin" --completion fish >"$tmp/csvbatch.fish" || { echo "FAIL csvbatch --completion"; exit 1; }
# A fixture tree to complete paths in: a file and a directory.
mkdir -p "$tmp/work/sub" && : >"$tmp/work/a.csv" && : >"$tmp/work/sub/b.csv"
cd "$tmp/work" || exit 1

# The options --help lists, long and short, sorted: every completion must offer exactly these.
help_opts=$("$bin" --help | grep -oE -- '(^  -[a-zA-Z0-9],)|--[a-z][a-z-]+' | tr -d ' ,' | sort -u)

# ---- bash ----
# bash_words WORD...: COMPREPLY, space-separated, for the command line WORD... (last: the
# word being completed), with the script loaded as FILE (default: the generated one).
bash_words() {
    BASH_FILE=${BASH_FILE:-$tmp/csvbatch.bash} bash --norc --noprofile -c '
        source "$BASH_FILE" || exit 3
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
        _csvbatch; echo "${COMPREPLY[*]}"' bash "$@"
}
same bash-complete-p "$(bash --norc -c "source '$tmp/csvbatch.bash'; complete -p csvbatch")" \
    "complete -o filenames -F _csvbatch csvbatch"
same bash-long-option "$(bash_words csvbatch --form)" "--format"
same bash-two-options "$(bash_words csvbatch --no-f)" "--no-fsync --no-fast-path"
same bash-format-values "$(bash_words csvbatch --format '')" "table csv json"
same bash-format-prefix "$(bash_words csvbatch --format j)" "json"
same bash-format-equals "$(bash_words csvbatch --format = '')" "table csv json"
same bash-encoding-values "$(bash_words csvbatch --encoding '')" "utf-8 latin1 windows-1252"
same bash-on-bad-row-values "$(bash_words csvbatch -q --on-bad-row '')" "fail skip pad"
same bash-output-dir-dirs "$(bash_words csvbatch -o '')" "sub"
same bash-report-files "$(bash_words csvbatch --report '' | xargs -n1 | sort | xargs)" "a.csv sub"
same bash-path-files "$(bash_words csvbatch -r '' | xargs -n1 | sort | xargs)" "a.csv sub"
same bash-free-value "$(bash_words csvbatch -j '')" ""
same bash-offers-the-help-options "$(bash_words csvbatch - | tr ' ' '\n' | sort -u)" "$help_opts"

# ---- zsh: the function is registered; candidates captured through a pseudo-terminal ----
# zsh_words FPATH_DIR SOURCE_FILE LINE: the candidates zsh offers for LINE<TAB>, sorted, one per
# line. The scripts' compadd calls are recorded by a wrapper that adds them too (so that no
# fallback tag runs), as zsh-capture-completion does.
cat >"$tmp/capture.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z "PROMPT='' RPROMPT=''; unsetopt zle_bracketed_paste 2>/dev/null"
zpty -w z "stty rows 200 columns 200; LISTMAX=100000" # never "do you wish to see all N?"
[[ -n $1 ]] && zpty -w z "fpath=(${(q)1} \$fpath)"
zpty -w z "autoload -Uz compinit; compinit -u -D"
[[ -n $2 ]] && zpty -w z "source ${(q)2}"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  builtin compadd "$@"; local ret=$?
  for h in $__hits; do print -r -- "<CAND>$h</CAND>"; done
  return ret
}'
zpty -w z "bindkey '^I' complete-word"
zpty -w z "print -r -- '<REA''DY>'"
zpty -r z out '*<READY>*'
zpty -n -w z "$3"$'\t'
zpty -w z $'\C-u'"print -r -- '<DO''NE>'"
zpty -r z all '*<DONE>*'
zpty -d z
print -r -- "$all" | grep -o '<CAND>[^<]*</CAND>' | sed 's/<CAND>//; s/<\/CAND>//' | sort -u
EOF
zsh_words() { timeout 60 zsh -f "$tmp/capture.zsh" "$@"; }
if command -v zsh >/dev/null; then
    same zsh-function-defined "$(zsh -fc "autoload -Uz compinit; compinit -u -D; source '$tmp/_csvbatch'; print \$+functions[_csvbatch] \$_comps[csvbatch]")" \
        "1 _csvbatch"
    same zsh-long-option "$(zsh_words '' "$tmp/_csvbatch" 'csvbatch --form')" "--format"
    same zsh-format-values "$(zsh_words '' "$tmp/_csvbatch" 'csvbatch --format ' | xargs)" \
        "csv json table"
    same zsh-format-equals "$(zsh_words '' "$tmp/_csvbatch" 'csvbatch --format=' | xargs)" \
        "csv json table"
    same zsh-encoding-values "$(zsh_words '' "$tmp/_csvbatch" 'csvbatch --encoding ' | xargs)" \
        "latin1 utf-8 windows-1252"
    same zsh-output-dir-dirs "$(zsh_words '' "$tmp/_csvbatch" 'csvbatch -o ' | xargs)" "sub"
    same zsh-path-files "$(zsh_words '' "$tmp/_csvbatch" 'csvbatch -q ' | xargs)" "a.csv sub"
    same zsh-offers-the-help-options "$(zsh_words '' "$tmp/_csvbatch" 'csvbatch -')" "$help_opts"
else
    skip "zsh: not installed (scripts/install-deps.sh)"
fi

# ---- fish ----
fish_words() { HOME=$tmp/home fish --no-config -c "source '$tmp/csvbatch.fish'; complete -C '$1'"; }
if command -v fish >/dev/null; then
    same fish-long-option "$(fish_words 'csvbatch --form')" \
        "$(printf -- '--format\tsummary format: table (default), csv or json')"
    same fish-format-values "$(fish_words 'csvbatch --format ' | cut -f1 | xargs)" "csv json table"
    same fish-encoding-values "$(fish_words 'csvbatch --encoding ' | cut -f1 | xargs)" \
        "latin1 utf-8 windows-1252"
    same fish-output-dir-dirs "$(fish_words 'csvbatch -o ' | cut -f1)" "sub/"
    same fish-path-files "$(fish_words 'csvbatch ' | cut -f1 | xargs)" "a.csv sub/"
    same fish-free-value "$(fish_words 'csvbatch -j ')" ""
    same fish-offers-the-help-options "$(fish_words 'csvbatch -' | cut -f1 | sort -u)" "$help_opts"
else
    skip "fish: not installed (scripts/install-deps.sh)"
fi

# ---- make install: the standard places, found by each shell's own loader ----
dest=$tmp/dest share=$tmp/dest/usr/share
if ${MAKE:-make} -s --no-print-directory -C "$root" install DESTDIR="$dest" PREFIX=/usr \
    VARIANT="${VARIANT:-release}" >"$tmp/install.log" 2>&1; then
    for pair in bash-completion/completions/csvbatch:csvbatch.bash zsh/site-functions/_csvbatch:_csvbatch \
        fish/vendor_completions.d/csvbatch.fish:csvbatch.fish; do
        if cmp -s "$share/${pair%%:*}" "$tmp/${pair#*:}"; then
            pass "install ${pair%%:*}"
        else
            fail "install ${pair%%:*}" "missing, or not what csvbatch --completion writes"
        fi
    done
    if [ -f /usr/share/bash-completion/bash_completion ]; then
        same bash-completion-loader "$(XDG_DATA_DIRS=$share bash --norc -c \
            'source /usr/share/bash-completion/bash_completion; __load_completion csvbatch; complete -p csvbatch')" \
            "complete -o filenames -F _csvbatch csvbatch"
    else
        skip "bash-completion: not installed"
    fi
    command -v zsh >/dev/null &&
        same zsh-fpath-autoload "$(zsh_words "$share/zsh/site-functions" '' 'csvbatch --form')" "--format"
    command -v fish >/dev/null &&
        same fish-vendor-autoload "$(HOME=$tmp/home XDG_DATA_DIRS=$share PATH=$dest/usr/bin:$PATH \
            fish -c 'complete -C "csvbatch --form"' | cut -f1)" "--format"
    ${MAKE:-make} -s --no-print-directory -C "$root" uninstall DESTDIR="$dest" PREFIX=/usr
    same uninstall-removes-all "$(find "$dest" -type f | wc -l)" "0"
else
    fail "make install" "$(cat "$tmp/install.log")"
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
