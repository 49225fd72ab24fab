# Writes the extra tabular sets the reproductions need (npm run repro) from
# Debian's r-cran-mlbench (2.1-3) into data/repro/ (not committed, not shipped:
# the repro command runs this script when a file is missing).
#   apt-get install r-cran-mlbench && Rscript scripts/repro/make-repro-data.R
# Same CSV layout as data/*.csv: numeric features, last column `class` = the
# 0-based index of the R factor level. Sources and licences: data/README.md.
suppressMessages(library(mlbench))
dir.create("data/repro", showWarnings = FALSE, recursive = TRUE)

write_set <- function(df, label, path) {
  x <- df[, setdiff(names(df), label)]
  # DNA's features are factors "0"/"1": write the indicator values, not level indices.
  x[] <- lapply(x, function(col) if (is.factor(col)) as.numeric(as.character(col)) else col)
  y <- as.integer(df[[label]]) - 1L
  out <- cbind(x, class = y)
  write.csv(out, path, row.names = FALSE, quote = FALSE)
  cat(path, nrow(out), "rows x", ncol(x), "features; class counts:", tabulate(y + 1L), "\n")
}

data(Shuttle)            # UCI Statlog (Shuttle): 58000 x 9, 7 classes (45586 ... 10)
write_set(Shuttle, "Class", "data/repro/shuttle.csv")
data(DNA)                # UCI Molecular Biology (Splice-junction, StatLog version): 3186 x 180 binary, 3 classes
write_set(DNA, "Class", "data/repro/dna.csv")
data(LetterRecognition)  # UCI Letter Recognition: 20000 x 16, 26 classes
write_set(LetterRecognition, "lettr", "data/repro/letter.csv")
