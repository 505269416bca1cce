; Inno Setup 6 script of the Windows till. NOT BUILT on the project's CI (Linux; Inno Setup
; and PyInstaller for Windows run on Windows only); tests/packaging/test_windows_installer.py
; checks that it agrees with tillkeeper.spec and the app's Windows data folder.
;
; Build on Windows, from the checkout (installer\README.md):
;   py -m PyInstaller --noconfirm --distpath dist installer\windows\tillkeeper.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\windows\tillkeeper.iss
; -> dist\tillkeeper-0.1.0-setup.exe
;
; It installs the frozen till into Program Files, a start-menu group (the till, its device
; settings, a support file for the helpdesk, the uninstaller), optionally a desktop icon and
; an autostart entry for every user (tasks), and creates the machine-wide data folder
; %ProgramData%\Tillkeeper writable by the computer's users. The uninstaller removes the
; program and the shortcuts and keeps the data folder: it may hold sales the server has not
; received yet.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "Tillkeeper"
#define DistDir "..\..\dist\tillkeeper"
#define TillExe "tillkeeper.exe"
#define CliExe "pos-app.exe"
#define DataDir "{commonappdata}\Tillkeeper"

[Setup]
AppId={{6E0F8B53-7C1D-4A55-9E0B-2B7C4D9A1F31}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Tillkeeper developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=tillkeeper-{#AppVersion}-setup
SetupIconFile=tillkeeper.ico
UninstallDisplayIcon={app}\{#TillExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[CustomMessages]
en.AutostartTask=Start the till when anyone signs in to Windows
ru.AutostartTask=Запускать кассу при входе любого пользователя в Windows
en.StartGroup=Start:
ru.StartGroup=Запуск:
en.DevicesShortcut=Tillkeeper devices (printer, scanner)
ru.DevicesShortcut=Tillkeeper: устройства (принтер, сканер)
en.SupportShortcut=Tillkeeper support file (on the desktop)
ru.SupportShortcut=Tillkeeper: файл для поддержки (на рабочий стол)
en.DataKept=The till's data folder %1 is kept: it may hold sales the server has not received yet. Delete it by hand once the server has them all.
ru.DataKept=Папка данных кассы %1 сохранена: в ней могут быть продажи, которых ещё нет на сервере. Удалите её вручную, когда сервер получит их все.

[Tasks]
Name: "autostart"; Description: "{cm:AutostartTask}"; GroupDescription: "{cm:StartGroup}"; Flags: unchecked
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Dirs]
; The machine-wide data folder (pos_app/commands/store_factory.py windows_data_dir): the store,
; its daily backups, the logs. Never removed by the uninstaller.
Name: "{#DataDir}"; Permissions: users-modify; Flags: uninsneveruninstall

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#TillExe}"; WorkingDir: "{#DataDir}"
Name: "{group}\{cm:DevicesShortcut}"; Filename: "{app}\{#CliExe}"; Parameters: "devices"; WorkingDir: "{#DataDir}"
Name: "{group}\{cm:SupportShortcut}"; Filename: "{app}\{#CliExe}"; Parameters: "diagnostics --out ""{userdesktop}\tillkeeper-support.zip"""; WorkingDir: "{#DataDir}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{commondesktop}\{#AppName}"; Filename: "{app}\{#TillExe}"; WorkingDir: "{#DataDir}"; Tasks: desktopicon
Name: "{commonstartup}\{#AppName}"; Filename: "{app}\{#TillExe}"; WorkingDir: "{#DataDir}"; Tasks: autostart

[Run]
Filename: "{app}\{#TillExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent and DirExists(ExpandConstant('{#DataDir}')) then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{#DataDir}')]),
      mbInformation, MB_OK);
end;
